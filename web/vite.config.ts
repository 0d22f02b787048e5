// One Vite build, two pages: the staff console (index.html, served at /) and the borrower
// portal (portal/index.html, served at /portal). The duecare server serves web/dist.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const root = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: {
    outDir: resolve(root, "dist"),
    emptyOutDir: true,
    // Ant Design is one large shared chunk that both pages cache; everything else is small.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      input: { console: resolve(root, "index.html"), portal: resolve(root, "portal/index.html") },
      output: {
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler|cookie)[\\/]/, priority: 3 },
            { name: "antd", test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[\w-]+|@emotion|dayjs|@babel[\\/]runtime)[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:3000" } },
});
