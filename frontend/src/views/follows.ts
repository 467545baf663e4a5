/** Follows: add a series by title (picking among the lookup's candidates), edit its
 * quality, language and aliases, pause it, unfollow it (administrators only). */
import { html, nothing } from "lit";
import { episodeCode } from "../logic";
import { define } from "../hass";
import { View } from "../view";

export interface Hit {
  title: string;
  year: number | null;
  ids: Record<string, string>;
  anime?: boolean;
  poster?: string | null;
  known: boolean;
}

interface Follow {
  id: string;
  title: string;
  year: number | null;
  anime: boolean;
  quality: string;
  language: string;
  dub: string;
  aliases: string[];
  paused: boolean;
  status: string;
  next_episode: { season: number | null; episode: number | null; absolute: number | null; air_time: string | null } | null;
}

export const QUALITIES = ["720p", "1080p", "2160p"];
export const LANGUAGES = ["MULTI", "VF", "VOSTFR"];
export const DUBS = ["VFF", "VFQ", "either"];
const ID_ORDER = ["tvmaze", "anilist", "tmdb", "tvdb"];

export class FollowsView extends View {
  static properties = {
    ...View.properties,
    follows: { state: true },
    hits: { state: true },
    editing: { state: true },
    removing: { state: true },
  };

  declare follows: Follow[];
  declare hits: Hit[] | null;
  declare editing: string | null;
  declare removing: string | null;

  constructor() {
    super();
    this.follows = [];
    this.hits = null;
    this.editing = null;
    this.removing = null;
  }

  protected async load(): Promise<void> {
    const current = this.fresh();
    const result = await this.ws<{ follows: Follow[] }>({ type: "plex_kiosk/follows" });
    if (result && current()) this.follows = [...result.follows].sort((a, b) => a.title.localeCompare(b.title));
  }

  private async lookup(ev: Event): Promise<void> {
    ev.preventDefault();
    const query = (this.renderRoot.querySelector("#query") as HTMLInputElement).value.trim();
    if (!query) return;
    const result = await this.ws<{ results: Hit[] }>({ type: "plex_kiosk/lookup", kind: "series", query });
    this.hits = result?.results ?? null;
  }

  private async add(hit: Hit): Promise<void> {
    const source = ID_ORDER.find((k) => hit.ids[k]);
    if (!source) return;
    const result = await this.ws({
      type: "plex_kiosk/follow/add",
      data: { [`${source}_id`]: Number(hit.ids[source]) },
    });
    if (result) {
      this.hits = null;
      this.load();
    }
  }

  private async change(follow: Follow, changes: Record<string, unknown>): Promise<void> {
    if (await this.ws({ type: "plex_kiosk/follow/update", data: { follow_id: follow.id, ...changes } })) {
      this.editing = null;
      this.load();
    }
  }

  private save(follow: Follow): void {
    const root = this.renderRoot;
    const value = (name: string) => (root.querySelector(`[name=${name}]`) as HTMLInputElement).value;
    const aliases = value("aliases").split(",").map((a) => a.trim()).filter(Boolean);
    this.change(follow, {
      quality: value("quality"),
      language: value("language"),
      dub: value("dub"),
      ...(aliases.length ? { aliases } : {}),
    });
  }

  private async unfollow(follow: Follow): Promise<void> {
    if (this.removing !== follow.id) {
      this.removing = follow.id;
      return;
    }
    this.removing = null;
    if (await this.ws({ type: "plex_kiosk/follow/remove", follow_id: follow.id })) this.load();
  }

  render() {
    return html`
      ${this.admin
        ? html`<div class="card">
            <h2>${this.t("follow_add")}</h2>
            <form class="row" @submit=${this.lookup}>
              <input id="query" class="grow" placeholder=${this.t("series_title")} aria-label=${this.t("series_title")} />
              <button type="submit" ?disabled=${this.busy}>${this.t("search")}</button>
            </form>
            ${this.hits
              ? html`<ul class="list hits">
                  ${this.hits.length === 0 ? html`<li class="muted">${this.t("nothing_found")}</li>` : nothing}
                  ${this.hits.map(
                    (h) => html`<li class="row">
                      <span class="grow">${h.title} ${h.year ? html`<span class="muted">(${h.year})</span>` : nothing}
                        ${h.anime ? html`<span class="badge">${this.t("anime")}</span>` : nothing}</span>
                      ${h.known
                        ? html`<span class="badge">${this.t("already_followed")}</span>`
                        : html`<button @click=${() => this.add(h)} ?disabled=${this.busy}>${this.t("follow")}</button>`}
                    </li>`,
                  )}
                </ul>`
              : nothing}
          </div>`
        : nothing}
      ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
      <div class="card">
        <h2>${this.t("tab_follows")} (${this.follows.length})</h2>
        ${this.follows.length === 0 ? html`<p class="muted">${this.t("no_follows")}</p>` : nothing}
        <ul class="list follows">${this.follows.map((f) => this.renderFollow(f))}</ul>
      </div>
    `;
  }

  private renderFollow(f: Follow) {
    const next = f.next_episode;
    return html`<li data-follow=${f.title}>
      <div class="row">
        <span class="grow"><b>${f.title}</b> ${f.year ? html`<span class="muted">(${f.year})</span>` : nothing}
          ${f.anime ? html`<span class="badge">${this.t("anime")}</span>` : nothing}
          ${f.paused ? html`<span class="badge">${this.t("paused")}</span>` : nothing}</span>
        <span class="muted">${f.quality} · ${f.language} · ${f.dub === "either" ? this.t("dub_either") : f.dub}</span>
      </div>
      <div class="muted">
        ${next ? this.t("next_episode", { code: episodeCode(next), when: this.when(next.air_time) }) : this.t("no_next_episode")}
      </div>
      ${this.admin
        ? html`<div class="row" style="margin-top:6px">
            <button class="flat" @click=${() => (this.editing = this.editing === f.id ? null : f.id)}>${this.t("edit")}</button>
            <button class="flat" @click=${() => this.change(f, { paused: !f.paused })}>${f.paused ? this.t("resume") : this.t("pause")}</button>
            <button class=${this.removing === f.id ? "danger" : "flat"} @click=${() => this.unfollow(f)}>
              ${this.removing === f.id ? this.t("unfollow_confirm") : this.t("unfollow")}
            </button>
          </div>`
        : nothing}
      ${this.editing === f.id ? this.renderEditor(f) : nothing}
    </li>`;
  }

  private renderEditor(f: Follow) {
    const select = (name: string, options: string[], current: string) =>
      html`<label>${this.t(name as "quality")}
        <select name=${name}>
          ${options.map((o) => html`<option value=${o} ?selected=${o === current}>${o === "either" ? this.t("dub_either") : o}</option>`)}
        </select></label>`;
    return html`<div class="row editor" style="margin-top:8px">
      ${select("quality", QUALITIES, f.quality)} ${select("language", LANGUAGES, f.language)} ${select("dub", DUBS, f.dub)}
      <label class="grow">${this.t("aliases")} <input name="aliases" placeholder=${f.aliases.join(", ")} /></label>
      <button @click=${() => this.save(f)} ?disabled=${this.busy}>${this.t("save")}</button>
    </div>`;
  }
}

define("plex-kiosk-follows", FollowsView);
