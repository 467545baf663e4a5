/** The part of Home Assistant's `hass` object the panel and cards use: nothing else. */

export interface HassUser {
  id: string;
  name: string;
  is_admin: boolean;
}

export interface HassConnection {
  subscribeMessage<T>(
    callback: (event: T) => void,
    message: Record<string, unknown>,
  ): Promise<() => Promise<void>>;
}

export interface Hass {
  language: string;
  locale?: { language: string };
  user: HassUser;
  themes?: { darkMode?: boolean };
  connection: HassConnection;
  callWS<T>(message: Record<string, unknown>): Promise<T>;
}

/** The user's language (their profile's, else the browser's), English before `hass` comes. */
export function languageOf(hass: Hass | undefined): string {
  return hass?.locale?.language ?? hass?.language ?? "en";
}

/** The message of a websocket error (Home Assistant sends it translated). */
export function errorText(err: unknown): string {
  if (err && typeof err === "object" && "message" in err) {
    return String((err as { message: unknown }).message);
  }
  return String(err);
}

/** Define a custom element once (the bundle may be loaded by the panel and the cards). */
export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
