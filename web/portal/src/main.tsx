import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { LanguageProvider, useLanguage } from "../../shared/i18n";
import { messages } from "./messages";
import { PortalApp } from "./PortalApp";

function Themed() {
  const { language } = useLanguage();
  return (
    <ConfigProvider locale={language === "en" ? enUS : zhCN} theme={{ token: { colorPrimary: "#1677ff", borderRadius: 10 } }}>
      <AntApp>
        <BrowserRouter basename="/portal">
          <PortalApp />
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <LanguageProvider dictionary={messages}>
      <Themed />
    </LanguageProvider>
  </StrictMode>,
);
