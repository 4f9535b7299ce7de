/** Where and how an app receives its pushes (the platform console's "event subscription" page). */
export interface PushConfig {
  /** The app's receiver; without one nothing is pushed. */
  readonly requestUrl?: string;
  /** Feishu's Encrypt Key: bodies are encrypted and signed with it. A DingTalk app's `aes_key` (43 characters). */
  readonly encryptKey?: string;
  /** Feishu's Verification Token, sent in every envelope's `header.token`. A DingTalk app's `token` (signs each push). */
  readonly verificationToken?: string;
  /** The app has opened Feishu's long connection: while one is live its events go there (not to the URL). */
  readonly longConnection?: boolean;
}
