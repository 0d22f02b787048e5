import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { LanguageProvider, useLanguage } from "../../shared/i18n";
import { ConsoleApp } from "./ConsoleApp";
import { messages } from "./messages";

function Themed() {
  const { language } = useLanguage();
  return (
    <ConfigProvider locale={language === "en" ? enUS : zhCN} theme={{ token: { colorPrimary: "#1d6fdc" } }}>
      <AntApp>
        <BrowserRouter>
          <ConsoleApp />
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
