/** Downloads: live progress, speed and time left; failures with their reason; a retry
 * for an episode no release was found for (administrators). */
import { html, nothing, PropertyValues } from "lit";
import { bytes, duration, Episode, episodeCode } from "../logic";
import { define } from "../hass";
import { View } from "../view";

export interface Download {
  infohash: string;
  name: string;
  purpose: string;
  state: string;
  progress: number;
  added_at: string;
  error: string | null;
  speed?: number;
  eta?: number | null;
  size?: number;
}

export interface Downloads {
  active: Download[];
  failed: Download[];
  failed_episodes: Episode[];
}

export class DownloadsView extends View {
  static properties = {
    ...View.properties,
    live: { attribute: false },
    downloads: { state: true },
  };

  /** The subscription's latest view of the downloads, pushed by the panel. */
  declare live: Downloads | undefined;
  declare downloads: Downloads | undefined;

  protected async load(): Promise<void> {
    const current = this.fresh();
    const result = await this.ws<Downloads>({ type: "plex_kiosk/downloads" });
    if (result && current()) this.downloads = result;
  }

  protected updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has("live") && this.live) this.downloads = this.live;
  }

  private async retry(episode: Episode): Promise<void> {
    if (await this.ws({ type: "plex_kiosk/episode/retry", episode_id: episode.id })) this.load();
  }

  render() {
    const d = this.downloads;
    if (!d) return html`<div class="card muted">${this.error || this.t("loading")}</div>`;
    return html`
      ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
      <div class="card">
        <h2>${this.t("downloads_active")} (${d.active.length})</h2>
        ${d.active.length === 0 ? html`<p class="muted">${this.t("no_downloads")}</p>` : nothing}
        <ul class="list active">
          ${d.active.map(
            (a) => html`<li data-infohash=${a.infohash}>
              <div class="name">${a.name}</div>
              <div class="row">
                <div class="bar grow" role="progressbar" aria-valuenow=${Math.round(a.progress * 100)}>
                  <div style="width:${(a.progress * 100).toFixed(1)}%"></div>
                </div>
                <span class="progress">${(a.progress * 100).toFixed(1)} %</span>
              </div>
              <div class="muted">
                ${this.t(`purpose_${a.purpose}` as "purpose_episode")} · ${a.state}
                ${a.speed ? html` · ${bytes(a.speed)}/s` : nothing}
                ${a.eta ? html` · ${this.t("eta", { time: duration(a.eta) })}` : nothing}
                ${a.size ? html` · ${bytes(a.size)}` : nothing}
              </div>
            </li>`,
          )}
        </ul>
      </div>
      <div class="card">
        <h2>${this.t("failures")}</h2>
        ${d.failed.length + d.failed_episodes.length === 0 ? html`<p class="muted">${this.t("no_failures")}</p>` : nothing}
        <ul class="list failed">
          ${d.failed_episodes.map(
            (e) => html`<li class="row">
              <span class="grow"><b>${e.series} ${episodeCode(e)}</b>
                <div class="muted">${this.t("no_release_found")} · ${this.when(e.failed_at)}</div></span>
              ${this.admin ? html`<button @click=${() => this.retry(e)} ?disabled=${this.busy}>${this.t("retry")}</button>` : nothing}
            </li>`,
          )}
          ${d.failed.map(
            (f) => html`<li>
              <div class="name">${f.name}</div>
              <div class="muted">${f.error ?? this.t("failed")} · ${this.when(f.added_at)}</div>
            </li>`,
          )}
        </ul>
      </div>
    `;
  }
}

define("plex-kiosk-downloads", DownloadsView);
