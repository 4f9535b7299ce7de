/** The storage port for CalDAV credentials and the resource names clients chose. */

/** A credential, as stored: hashes only. */
export interface CaldavCredential {
  readonly userName: string;
  readonly passwordHash: string;
  readonly feedTokenHash: string;
  readonly platform: 'feishu' | 'dingtalk';
  readonly appId: string;
  readonly tenantKey: string;
  /** rili's internal user id. */
  readonly userId: string;
  readonly deviceName: string;
  /** Unix seconds. */
  readonly createdAt: number;
}

/** A client's name for an event in a calendar, and the UID it gave the event. */
export interface CaldavResource {
  readonly calendarId: string;
  readonly name: string;
  readonly uid: string;
  readonly icalUid: string;
}

export interface CaldavReader {
  credential(userName: string): Promise<CaldavCredential | undefined>;
  credentialByFeedToken(feedTokenHash: string): Promise<CaldavCredential | undefined>;
  /** A user's credentials, by device name. */
  credentialsOf(userId: string): Promise<CaldavCredential[]>;
  resourceByName(calendarId: string, name: string): Promise<CaldavResource | undefined>;
  /** The client names of events (by uid) in a calendar. */
  resourcesOf(calendarId: string, uids: readonly string[]): Promise<CaldavResource[]>;
}

export interface CaldavWriter extends CaldavReader {
  /** Stores a credential, replacing the user's credential for the same device. */
  putCredential(credential: CaldavCredential): Promise<void>;
  /** Revokes a credential; whether there was one. */
  deleteCredential(userName: string): Promise<boolean>;
  putResource(resource: CaldavResource): Promise<void>;
  deleteResource(calendarId: string, name: string): Promise<void>;
}
