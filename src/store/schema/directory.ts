// Directory tables: tenants, users, apps, rooms, chats, files and settings.
export interface TenantTable {
  key: string;
  name: string;
}

export interface UserTable {
  id: string;
  tenant_key: string;
  user_id: string;
  open_id: string;
  union_id: string;
  name: string;
  email: string | null;
}

export interface AppTable {
  app_id: string;
  platform: string;
  secret: string;
  tenant_key: string;
  name: string;
  /** JSON array of registered OAuth redirect URIs; null: any is accepted. */
  redirect_uris: string | null;
}

export interface RoomTable {
  room_id: string;
  tenant_key: string;
  name: string;
  capacity: number;
}

export interface ChatTable {
  chat_id: string;
  tenant_key: string;
  name: string;
  /** JSON array of internal user ids. */
  member_ids: string;
}

export interface FileTable {
  file_token: string;
  tenant_key: string;
  name: string;
  size: number;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface DirectoryTables {
  tenants: TenantTable;
  users: UserTable;
  apps: AppTable;
  rooms: RoomTable;
  chats: ChatTable;
  files: FileTable;
  settings: SettingTable;
}
