import { Segmented } from "antd";
import { type Language, useLanguage } from "./i18n";

export function LanguageSwitch() {
  const { language, setLanguage } = useLanguage();
  return (
    <Segmented
      data-testid="lang-switch"
      size="small"
      value={language}
      onChange={(value) => setLanguage(value as Language)}
      options={[
        { label: "中文", value: "zh-CN" },
        { label: "EN", value: "en" },
      ]}
    />
  );
}
