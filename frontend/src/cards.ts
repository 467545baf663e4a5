/** Dashboard cards: the episodes of the week ahead, and the downloads as they run. */
import { css, html, LitElement, nothing } from "lit";
import { define, errorText, Hass, languageOf } from "./hass";
import { Key, translate } from "./i18n";
import { bytes, duration, Episode, episodeCode, shownStatus } from "./logic";
import { shared } from "./styles";
import type { Downloads } from "./views/downloads";

interface CardConfig {
  type: string;
  title?: string;
  limit?: number;
}

abstract class Card extends LitElement {
  static properties = {
    hass: { attribute: false },
    config: { state: true },
    error: { state: true },
  };

  static styles = [
    shared,
    css`
      ha-card,
      .card {
        margin: 0;
      }
    `,
  ];

  declare hass: Hass;
  declare config: CardConfig;
  declare error: string;
  private started = false;

  setConfig(config: CardConfig): void {
    if (config.limit !== undefined && (!Number.isInteger(config.limit) || config.limit < 1)) {
      throw new Error("limit: a whole number of at least 1");
    }
    this.config = config;
  }

  getCardSize(): number {
    return 3;
  }

  t(key: Key, vars: Record<string, string | number> = {}): string {
    return translate(languageOf(this.hass), key, vars);
  }

  protected updated(): void {
    if (this.hass && !this.started) {
      this.started = true;
      this.start().catch((err: unknown) => (this.error = errorText(err)));
    }
  }

  protected abstract start(): Promise<void>;
}

export class UpcomingCard extends Card {
  static properties = { ...Card.properties, episodes: { state: true } };
  declare episodes: Episode[] | undefined;

  static getStubConfig(): CardConfig {
    return { type: "custom:plex-kiosk-upcoming-card", limit: 8 };
  }

  protected async start(): Promise<void> {
    const result = await this.hass.callWS<{ episodes: Episode[] }>({ type: "plex_kiosk/upcoming" });
    this.episodes = result.episodes;
  }

  render() {
    const shown = (this.episodes ?? []).slice(0, this.config?.limit ?? 8);
    const when = new Intl.DateTimeFormat(languageOf(this.hass), { weekday: "short", hour: "2-digit", minute: "2-digit" });
    return html`<div class="card">
      <h2>${this.config?.title ?? this.t("card_upcoming")}</h2>
      ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
      ${this.episodes && shown.length === 0 ? html`<p class="muted">${this.t("no_episodes")}</p>` : nothing}
      <ul class="list">
        ${shown.map(
          (e) => html`<li class="row">
            <span class="grow"><b>${e.series}</b> ${episodeCode(e)}</span>
            <span class="muted">${e.air_time ? when.format(new Date(e.air_time)) : ""}</span>
            <span class="badge status-${shownStatus(e)}">${this.t(`status_${shownStatus(e)}`)}</span>
          </li>`,
        )}
      </ul>
    </div>`;
  }
}

export class DownloadsCard extends Card {
  static properties = { ...Card.properties, downloads: { state: true } };
  declare downloads: Downloads | undefined;
  private stop?: () => Promise<void>;

  static getStubConfig(): CardConfig {
    return { type: "custom:plex-kiosk-downloads-card" };
  }

  protected async start(): Promise<void> {
    this.downloads = await this.hass.callWS<Downloads>({ type: "plex_kiosk/downloads" });
    this.stop = await this.hass.connection.subscribeMessage<{ kind: string } & Downloads>(
      (change) => {
        if (change.kind === "downloads") this.downloads = change;
      },
      { type: "plex_kiosk/subscribe" },
    );
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop?.().catch(() => undefined);
  }

  render() {
    const active = this.downloads?.active ?? [];
    return html`<div class="card">
      <h2>${this.config?.title ?? this.t("card_downloads")}</h2>
      ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
      ${this.downloads && active.length === 0 ? html`<p class="muted">${this.t("no_downloads")}</p>` : nothing}
      <ul class="list">
        ${active.map(
          (a) => html`<li>
            <div class="name">${a.name}</div>
            <div class="row">
              <div class="bar grow"><div style="width:${(a.progress * 100).toFixed(1)}%"></div></div>
              <span>${(a.progress * 100).toFixed(0)} %</span>
            </div>
            <div class="muted">${a.speed ? `${bytes(a.speed)}/s` : ""}${a.eta ? ` · ${duration(a.eta)}` : ""}</div>
          </li>`,
        )}
      </ul>
    </div>`;
  }
}

define("plex-kiosk-upcoming-card", UpcomingCard);
define("plex-kiosk-downloads-card", DownloadsCard);

declare global {
  interface Window {
    customCards?: { type: string; name: string; description: string; preview?: boolean }[];
  }
}

window.customCards = window.customCards ?? [];
window.customCards.push(
  { type: "plex-kiosk-upcoming-card", name: "Plex Kiosk: upcoming episodes", description: "The followed episodes of the week ahead and their status.", preview: true },
  { type: "plex-kiosk-downloads-card", name: "Plex Kiosk: downloads", description: "What qBittorrent is downloading for Plex Kiosk, live.", preview: true },
);
