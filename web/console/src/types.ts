export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  permissions: string[];
  locale: string;
}
