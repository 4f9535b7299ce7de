import { requireReached, requireSubscribed, reaches, createSubscribedCalendar, deleteSubscribedCalendar, subscribeToCalendar, unsubscribeFromCalendar, updateSubscribedCalendar } from '../subscribed-calendars.js';
import type { HeldSubscribed, SubscribedCalendarFields, UserChangeActor } from '../subscribed-calendars.js';
import type { StoreReader } from '../ports.js';
import type { Actor, CalendarAcl, SubscribedCalendarInfo, User } from '../types.js';
import type { CalendarService, CoreDeps } from './calendar-service.js';
import { newCalendarId } from './calendar-service.js';

type UserActor = Extract<Actor, { kind: 'user' }>;

/** A subscribed calendar as its readers get it. */
export interface SubscribedCalendarView {
  readonly calendarId: string;
  readonly name: string;
  readonly description: string;
  readonly info: SubscribedCalendarInfo;
}

const changeActor = (actor: UserActor): UserChangeActor => ({ tenantKey: actor.tenantKey, appId: actor.appId, userId: actor.userId });

/** DingTalk's subscribed calendars (core/subscribed-calendars.ts): load, decide, save with the change log. */
export class SubscribedCalendarService {
  constructor(
    private readonly deps: CoreDeps,
    private readonly calendars: CalendarService,
  ) {}

  private newAclId = () => `user_${this.deps.ids.random(16)}`;

  private async held(r: StoreReader, actor: UserActor, calendarId: string): Promise<HeldSubscribed> {
    const [calendar, info] = await Promise.all([r.calendars.calendar(calendarId), r.calendars.subscribedCalendar(calendarId)]);
    return requireSubscribed(changeActor(actor), calendar, info);
  }

  /** Members of the chats a scope names, for `reaches`. */
  private async chatMembers(r: StoreReader, held: HeldSubscribed): Promise<Map<string, readonly string[]>> {
    const out = new Map<string, readonly string[]>();
    for (const chatId of held.info.scope.chatIds) {
      const chat = await r.directory.chat(held.info.tenantKey, chatId);
      if (chat) out.set(chatId, chat.memberIds);
    }
    return out;
  }

  private async user(r: StoreReader, actor: UserActor): Promise<User> {
    const user = await r.directory.user(actor.userId);
    return user ?? { id: actor.userId, tenantKey: actor.tenantKey, userId: '', openId: '', unionId: '', name: '', email: null };
  }

  create(actor: UserActor, fields: SubscribedCalendarFields): Promise<SubscribedCalendarView> {
    return this.deps.store.transact(async (w) => {
      const decided = createSubscribedCalendar(changeActor(actor), {
        ...fields, calendarId: newCalendarId(this.deps.ids), now: Math.floor(this.deps.clock.now() / 1000),
        seq: await w.calendars.nextSeq(), newAclId: this.newAclId,
      });
      await this.calendars.save(w, decided);
      const calendar = decided.calendars[0];
      return { calendarId: calendar.calendarId, name: calendar.summary, description: calendar.description, info: decided.info };
    });
  }

  /** For its managers and the users its scope reaches. */
  get(actor: UserActor, calendarId: string): Promise<SubscribedCalendarView> {
    return this.deps.store.read(async (r) => {
      const held = await this.held(r, actor, calendarId);
      requireReached(held, await this.user(r, actor), await this.chatMembers(r, held));
      return { calendarId, name: held.calendar.summary, description: held.calendar.description, info: held.info };
    });
  }

  update(actor: UserActor, calendarId: string, patch: SubscribedCalendarFields): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const held = await this.held(w, actor, calendarId);
      const touched = [...new Set([...held.info.managers, ...(patch.managers ?? [])])];
      const acls = new Map<string, CalendarAcl>();
      for (const userId of touched) {
        const acl = await w.calendars.acl(calendarId, userId);
        if (acl) acls.set(userId, acl);
      }
      await this.calendars.save(w, updateSubscribedCalendar(changeActor(actor), held, patch, acls, this.newAclId, await w.calendars.nextSeq()));
    });
  }

  delete(actor: UserActor, calendarId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const held = await this.held(w, actor, calendarId);
      const entry = await w.calendars.subscription(held.calendar.owner, calendarId);
      await this.calendars.save(w, deleteSubscribedCalendar(changeActor(actor), held, entry, await w.calendars.nextSeq()));
    });
  }

  subscribe(actor: UserActor, calendarId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const held = await this.held(w, actor, calendarId);
      const reached = reaches(held, await this.user(w, actor), await this.chatMembers(w, held));
      const [subscription, acl] = await Promise.all([w.calendars.subscription(`u:${actor.userId}`, calendarId), w.calendars.acl(calendarId, actor.userId)]);
      await this.calendars.save(w, subscribeToCalendar(changeActor(actor), held, { subscription, acl, reached }, this.newAclId(), await w.calendars.nextSeq()));
    });
  }

  unsubscribe(actor: UserActor, calendarId: string): Promise<void> {
    return this.deps.store.transact(async (w) => {
      const held = await this.held(w, actor, calendarId);
      const [subscription, acl] = await Promise.all([w.calendars.subscription(`u:${actor.userId}`, calendarId), w.calendars.acl(calendarId, actor.userId)]);
      await this.calendars.save(w, unsubscribeFromCalendar(changeActor(actor), held, { subscription, acl }, await w.calendars.nextSeq()));
    });
  }
}
