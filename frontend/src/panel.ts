/** The "Plex Kiosk" sidebar panel: a tab per view, fed by one subscription so that what is
 * shown follows the server without polling. */
import { css, html, LitElement, nothing, PropertyValues } from "lit";
import { define, Hass, languageOf } from "./hass";
import { Key, translate } from "./i18n";
import { shared } from "./styles";
import "./views/calendar";
import "./views/chat";
import "./views/downloads";
import type { Downloads } from "./views/downloads";
import "./views/follows";
import "./views/library";
import "./views/reports";
import "./views/requests";

export const TABS = ["calendar", "follows", "downloads", "requests", "library", "reports", "chat"] as const;
export type Tab = (typeof TABS)[number];

type Change = { kind: "changed" } | ({ kind: "downloads" } & Downloads);

export class PlexKioskPanel extends LitElement {
  static properties = {
    hass: { attribute: false },
    narrow: { type: Boolean, reflect: true },
    route: { attribute: false },
    panel: { attribute: false },
    tab: { state: true },
    revision: { state: true },
    live: { state: true },
  };

  static styles = [
    shared,
    css`
      :host {
        background: var(--primary-background-color);
        min-height: 100vh;
      }
      header {
        display: flex;
        align-items: center;
        gap: 8px;
        height: var(--header-height, 56px);
        padding: 0 12px;
        background: var(--app-header-background-color, var(--primary-color));
        color: var(--app-header-text-color, var(--text-primary-color, #fff));
        position: sticky;
        top: 0;
        z-index: 5;
      }
      header h1 {
        font-size: 20px;
        font-weight: 400;
        margin: 0;
      }
      header button {
        background: transparent;
        border: none;
        color: inherit;
        font-size: 22px;
      }
      nav {
        display: flex;
        overflow-x: auto;
        background: var(--app-header-background-color, var(--primary-color));
        position: sticky;
        top: var(--header-height, 56px);
        z-index: 5;
      }
      nav button {
        background: transparent;
        border: none;
        border-radius: 0;
        border-bottom: 2px solid transparent;
        color: var(--app-header-text-color, var(--text-primary-color, #fff));
        opacity: 0.75;
        white-space: nowrap;
        padding: 10px 14px;
      }
      nav button[aria-selected="true"] {
        opacity: 1;
        border-bottom-color: var(--app-header-text-color, #fff);
      }
      main {
        padding: 16px;
        max-width: 1200px;
        margin: 0 auto;
      }
      :host([narrow]) main {
        padding: 8px;
      }
    `,
  ];

  declare hass: Hass;
  declare narrow: boolean;
  declare route: { path: string } | undefined;
  declare panel: unknown;
  declare tab: Tab;
  declare revision: number;
  declare live: Downloads | undefined;
  private unsubscribe?: Promise<() => Promise<void>>;

  constructor() {
    super();
    this.tab = "calendar";
    this.revision = 0;
  }

  private t(key: Key): string {
    return translate(languageOf(this.hass), key);
  }

  connectedCallback(): void {
    super.connectedCallback();
    if (this.hass) this.subscribe();
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.then((stop) => stop()).catch(() => undefined);
    this.unsubscribe = undefined;
  }

  protected willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("route") && this.route) {
      const wanted = this.route.path.replace(/^\//, "").split("/")[0] as Tab;
      if (TABS.includes(wanted)) this.tab = wanted;
    }
    if (changed.has("hass") && this.hass && !this.unsubscribe && this.isConnected) this.subscribe();
  }

  protected updated(changed: PropertyValues<this>): void {
    if (changed.has("tab")) {
      this.renderRoot.querySelector("nav [aria-selected=true]")?.scrollIntoView({ block: "nearest", inline: "nearest" });
    }
  }

  private subscribe(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.hass.connection.subscribeMessage<Change>(
      (change) => {
        if (change.kind === "downloads") this.live = change;
        else this.revision += 1;
      },
      { type: "plex_kiosk/subscribe" },
    );
    this.unsubscribe.catch(() => (this.unsubscribe = undefined));
  }

  private select(tab: Tab): void {
    this.tab = tab;
    history.replaceState(null, "", `/plex-kiosk/${tab}`);
  }

  private menu(): void {
    this.dispatchEvent(new Event("hass-toggle-menu", { bubbles: true, composed: true }));
  }

  render() {
    if (!this.hass) return nothing;
    return html`
      <header>
        ${this.narrow ? html`<button @click=${this.menu} aria-label=${this.t("menu")}>☰</button>` : nothing}
        <h1>Plex Kiosk</h1>
      </header>
      <nav role="tablist">
        ${TABS.map(
          (tab) => html`<button role="tab" aria-selected=${tab === this.tab ? "true" : "false"} @click=${() => this.select(tab)}>
            ${this.t(`tab_${tab}`)}
          </button>`,
        )}
      </nav>
      <main>${this.view()}</main>
    `;
  }

  private view() {
    const common = { hass: this.hass, narrow: this.narrow, revision: this.revision };
    switch (this.tab) {
      case "calendar":
        return html`<plex-kiosk-calendar .hass=${common.hass} .narrow=${common.narrow} .revision=${common.revision}></plex-kiosk-calendar>`;
      case "follows":
        return html`<plex-kiosk-follows .hass=${common.hass} .narrow=${common.narrow} .revision=${common.revision}></plex-kiosk-follows>`;
      case "downloads":
        return html`<plex-kiosk-downloads .hass=${common.hass} .narrow=${common.narrow} .revision=${common.revision} .live=${this.live}></plex-kiosk-downloads>`;
      case "requests":
        return html`<plex-kiosk-requests .hass=${common.hass} .narrow=${common.narrow} .revision=${common.revision}></plex-kiosk-requests>`;
      case "library":
        return html`<plex-kiosk-library .hass=${common.hass} .narrow=${common.narrow} .revision=${common.revision}></plex-kiosk-library>`;
      case "reports":
        return html`<plex-kiosk-reports .hass=${common.hass} .narrow=${common.narrow} .revision=${common.revision}></plex-kiosk-reports>`;
      default:
        return html`<plex-kiosk-chat .hass=${common.hass} .narrow=${common.narrow}></plex-kiosk-chat>`;
    }
  }
}

define("plex-kiosk-panel", PlexKioskPanel);
