/** What every tab of the panel shares: `hass`, the translations, loading on each change. */
import { LitElement, PropertyValues } from "lit";
import { errorText, Hass, languageOf } from "./hass";
import { Key, translate } from "./i18n";
import { shared } from "./styles";

export abstract class View extends LitElement {
  static styles = [shared];
  static properties = {
    hass: { attribute: false },
    narrow: { type: Boolean },
    revision: { type: Number },
    error: { state: true },
    busy: { state: true },
  };

  declare hass: Hass;
  declare narrow: boolean;
  /** Raised by the panel whenever the server says something changed. */
  declare revision: number;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.revision = 0;
    this.error = "";
    this.busy = false;
  }

  get admin(): boolean {
    return Boolean(this.hass?.user?.is_admin);
  }

  get language(): string {
    return languageOf(this.hass);
  }

  t(key: Key, vars: Record<string, string | number> = {}): string {
    return translate(this.language, key, vars);
  }

  private generation = 0;

  /** Read (or re-read) what the view shows. */
  protected abstract load(): Promise<void>;

  /** Call at the start of a load: it tells later whether that load is still the latest (an
   * older answer arriving after a newer one must not overwrite it). */
  protected fresh(): () => boolean {
    const mine = ++this.generation;
    return () => mine === this.generation;
  }

  protected updated(changed: PropertyValues<this>): void {
    if (changed.has("revision") || (changed.has("hass") && changed.get("hass") === undefined)) {
      this.load().catch((err: unknown) => (this.error = errorText(err)));
    }
  }

  /** A websocket command; its error is shown and `undefined` returned. */
  protected async ws<T>(message: Record<string, unknown>): Promise<T | undefined> {
    this.busy = true;
    try {
      const result = await this.hass.callWS<T>(message);
      this.error = "";
      return result;
    } catch (err) {
      this.error = errorText(err);
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  /** One of Plex Kiosk's actions, as the user (their limits and rights apply). */
  protected action<T>(service: string, data: Record<string, unknown>): Promise<T | undefined> {
    return this.ws<{ response: T }>({
      type: "call_service",
      domain: "plex_kiosk",
      service,
      service_data: data,
      return_response: true,
    }).then((r) => r?.response);
  }

  /** A date and time in the user's language. */
  when(iso: string | null | undefined, options: Intl.DateTimeFormatOptions = {}): string {
    if (!iso) return "";
    return new Intl.DateTimeFormat(this.language, {
      dateStyle: "medium",
      timeStyle: "short",
      ...options,
    }).format(new Date(iso));
  }
}
