export { administrationRoutes } from "./administration.routes.js";
