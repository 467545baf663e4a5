/** Requests: search a movie (posters from TMDB) or a series' seasons, request it within the
 * daily limit; one's own requests (every request for an administrator). */
import { html, nothing } from "lit";
import { seasons } from "../logic";
import { define } from "../hass";
import { View } from "../view";
import type { Hit } from "./follows";

interface Request {
  id: string;
  kind: string;
  title: string;
  seasons: number[];
  status: string;
  requested_by: string | null;
  created_at: string;
  year: number | null;
}

interface Limit {
  limited: boolean;
  limit: number;
  used: number;
  left: number;
}

export class RequestsView extends View {
  static properties = {
    ...View.properties,
    kind: { state: true },
    hits: { state: true },
    requests: { state: true },
    limit: { state: true },
    done: { state: true },
  };

  declare kind: "movie" | "series";
  declare hits: Hit[] | null;
  declare requests: Request[];
  declare limit: Limit | undefined;
  declare done: string;

  constructor() {
    super();
    this.kind = "movie";
    this.hits = null;
    this.requests = [];
    this.done = "";
  }

  protected async load(): Promise<void> {
    const current = this.fresh();
    const [list, limit] = await Promise.all([
      this.ws<{ requests: Request[] }>({ type: "plex_kiosk/requests" }),
      this.ws<Limit>({ type: "plex_kiosk/requests/limit" }),
    ]);
    if (!current()) return;
    if (list) this.requests = list.requests;
    if (limit) this.limit = limit;
  }

  private async search(ev: Event): Promise<void> {
    ev.preventDefault();
    const query = (this.renderRoot.querySelector("#query") as HTMLInputElement).value.trim();
    if (!query) return;
    this.done = "";
    const result = await this.ws<{ results: Hit[] }>({ type: "plex_kiosk/lookup", kind: this.kind, query });
    this.hits = result?.results ?? null;
  }

  private async request(hit: Hit, index: number): Promise<void> {
    let data: Record<string, unknown>;
    if (this.kind === "movie") {
      data = { tmdb_id: Number(hit.ids.tmdb) };
    } else {
      const typed = (this.renderRoot.querySelector(`#seasons-${index}`) as HTMLInputElement).value;
      const wanted = seasons(typed);
      if (!wanted) {
        this.error = this.t("seasons_invalid");
        return;
      }
      data = { tvmaze_id: Number(hit.ids.tvmaze), seasons: wanted };
    }
    const result = await this.action("request", data);
    if (result !== undefined) {
      this.done = this.t("requested", { title: hit.title });
      this.hits = null;
      this.load();
    }
  }

  render() {
    const limit = this.limit;
    const full = Boolean(limit?.limited && limit.left === 0);
    return html`
      <div class="card">
        <h2>${this.t("request_new")}</h2>
        ${limit
          ? html`<p class="limit muted">${limit.limited ? this.t("limit_left", { left: limit.left, limit: limit.limit }) : this.t("limit_none")}</p>`
          : nothing}
        <form class="row" @submit=${this.search}>
          <select aria-label=${this.t("kind")} @change=${(ev: Event) => {
            this.kind = (ev.target as HTMLSelectElement).value as "movie" | "series";
            this.hits = null;
          }}>
            <option value="movie" ?selected=${this.kind === "movie"}>${this.t("kind_movie")}</option>
            <option value="series" ?selected=${this.kind === "series"}>${this.t("kind_series")}</option>
          </select>
          <input id="query" class="grow" placeholder=${this.t("title")} aria-label=${this.t("title")} />
          <button type="submit" ?disabled=${this.busy}>${this.t("search")}</button>
        </form>
        ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
        ${this.done ? html`<p class="done">${this.done}</p>` : nothing}
        ${this.hits
          ? html`<ul class="list hits">
              ${this.hits.length === 0 ? html`<li class="muted">${this.t("nothing_found")}</li>` : nothing}
              ${this.hits.map(
                (h, i) => html`<li class="row">
                  ${h.poster ? html`<img src=${h.poster} alt="" width="46" height="69" loading="lazy" />` : nothing}
                  <span class="grow">${h.title} ${h.year ? html`<span class="muted">(${h.year})</span>` : nothing}</span>
                  ${this.kind === "series"
                    ? html`<input id="seasons-${i}" size="6" placeholder="1, 2" aria-label=${this.t("seasons")} />`
                    : nothing}
                  ${h.known && this.kind === "movie"
                    ? html`<span class="badge">${this.t("already_known")}</span>`
                    : html`<button @click=${() => this.request(h, i)} ?disabled=${this.busy || full}>${this.t("request")}</button>`}
                </li>`,
              )}
            </ul>`
          : nothing}
      </div>
      <div class="card">
        <h2>${this.admin ? this.t("requests_all") : this.t("requests_mine")}</h2>
        ${this.requests.length === 0 ? html`<p class="muted">${this.t("no_requests")}</p>` : nothing}
        <ul class="list requests">
          ${this.requests.map(
            (r) => html`<li class="row">
              <span class="grow"><b>${r.title}</b>${r.year ? html` <span class="muted">(${r.year})</span>` : nothing}
                ${r.seasons.length ? html`<span class="muted">${this.t("seasons")} ${r.seasons.join(", ")}</span>` : nothing}
                <div class="muted">${this.when(r.created_at)}${this.admin && r.requested_by ? ` · ${r.requested_by}` : ""}</div></span>
              <span class="badge">${this.t(`request_${r.status}` as "request_pending")}</span>
            </li>`,
          )}
        </ul>
      </div>
    `;
  }
}

define("plex-kiosk-requests", RequestsView);
