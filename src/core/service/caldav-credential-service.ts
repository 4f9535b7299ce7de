/**
 * CalDAV credentials: what Feishu's generateCaldavConf and DingTalk's GenerateCaldavAccount hand a
 * user. Each is scoped to that user (and the app that asked), stored as hashes, one per device:
 * generating again for a device replaces its credential; revoking deletes it. The same credential
 * carries a secret for the user's read-only iCalendar feeds, so revoking it ends those too.
 */
import type { CaldavCredential } from '../caldav-ports.js';
import { invalidArgument } from '../errors.js';
import type { Actor, Platform } from '../types.js';
import type { CoreDeps } from './calendar-service.js';

/** What the user is handed once: the password and feed secret are not stored, only their hashes. */
export interface IssuedCredential {
  readonly userName: string;
  readonly password: string;
  readonly feedToken: string;
  readonly deviceName: string;
}

/** The user a credential acts for, as an actor of the app that issued it. */
export type CaldavActor = Extract<Actor, { kind: 'user' }>;

const DEVICE_MAX = 100;

export class CaldavCredentialService {
  constructor(
    private readonly deps: CoreDeps,
    private readonly hash: (secret: string) => string,
  ) {}

  /** Issues a credential for the calling user's device, replacing that device's previous one. */
  issue(actor: Actor, platform: Platform, deviceName: string): Promise<IssuedCredential> {
    if (actor.kind !== 'user') throw invalidArgument('user_access_token', 'CalDAV credentials are issued to a user: call with a user access token');
    const device = deviceName.trim() || 'default';
    if (device.length > DEVICE_MAX) throw invalidArgument('device_name', `device_name is at most ${DEVICE_MAX} characters`);
    const issued: IssuedCredential = {
      userName: `u_${this.deps.ids.random(16).toLowerCase()}`,
      password: this.deps.ids.random(24),
      feedToken: this.deps.ids.random(32),
      deviceName: device,
    };
    return this.deps.store.transact(async (w) => {
      await w.caldav.putCredential({
        userName: issued.userName, passwordHash: this.hash(issued.password), feedTokenHash: this.hash(issued.feedToken), platform,
        appId: actor.appId, tenantKey: actor.tenantKey, userId: actor.userId, deviceName: device, createdAt: Math.floor(this.deps.clock.now() / 1000),
      });
      return issued;
    });
  }

  /** The user a user name and password stand for, or undefined (unknown, revoked or a wrong password). */
  async authenticate(userName: string, password: string): Promise<CaldavActor | undefined> {
    const c = await this.deps.store.lookup((r) => r.caldav.credential(userName));
    if (!c || c.passwordHash !== this.hash(password)) return undefined;
    return await this.liveActor(c);
  }

  /** The user a feed secret stands for, or undefined. */
  async feedActor(feedToken: string): Promise<CaldavActor | undefined> {
    const c = await this.deps.store.lookup((r) => r.caldav.credentialByFeedToken(this.hash(feedToken)));
    return c && await this.liveActor(c);
  }

  /** A user's credentials (hashes left out), for the sandbox. */
  async list(userId: string): Promise<Array<Omit<CaldavCredential, 'passwordHash' | 'feedTokenHash'>>> {
    const all = await this.deps.store.read((r) => r.caldav.credentialsOf(userId));
    return all.map(({ passwordHash: _p, feedTokenHash: _f, ...rest }) => rest);
  }

  /** Revokes a credential; whether there was one. */
  revoke(userName: string): Promise<boolean> {
    return this.deps.store.transact((w) => w.caldav.deleteCredential(userName));
  }

  /** A credential acts only while its user exists. */
  private async liveActor(c: CaldavCredential): Promise<CaldavActor | undefined> {
    const user = await this.deps.store.lookup((r) => r.directory.user(c.userId));
    if (!user) return undefined;
    return { kind: 'user', tenantKey: c.tenantKey, appId: c.appId, userId: c.userId };
  }
}
