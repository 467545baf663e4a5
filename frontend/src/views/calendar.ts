/** The calendar: a week or a month of followed episodes with their status; an episode's
 * decision (candidates, scores, the model's reason) on click. */
import { css, html, nothing } from "lit";
import { byDay, dayKey, Episode, episodeCode, shift, shownStatus, startOfDay, viewDays } from "../logic";
import { define } from "../hass";
import { View } from "../view";

interface Candidate {
  name: string;
  score: number;
  rejected: string | null;
  reason: string | null;
}

interface Decision {
  chosen: string | null;
  candidates: Candidate[];
  decided_by: string;
  model: string | null;
  advice: string | null;
  explanation: string | null;
}

export class CalendarView extends View {
  static properties = {
    ...View.properties,
    mode: { state: true },
    anchor: { state: true },
    episodes: { state: true },
    open: { state: true },
    decision: { state: true },
  };

  static styles = [
    ...View.styles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(7, minmax(0, 1fr));
        gap: 4px;
      }
      .day {
        min-height: 96px;
        border: 1px solid var(--divider-color, #eee);
        border-radius: 8px;
        padding: 4px;
      }
      .day.other {
        opacity: 0.55;
      }
      .day.today {
        border-color: var(--primary-color, #03a9f4);
      }
      .day-head {
        font-size: 0.8em;
        color: var(--secondary-text-color);
        margin-bottom: 4px;
      }
      .episode {
        display: block;
        width: 100%;
        text-align: left;
        background: var(--secondary-background-color, #f5f5f5);
        color: var(--primary-text-color);
        border: none;
        border-left: 4px solid var(--divider-color);
        border-radius: 4px;
        padding: 4px;
        margin-bottom: 4px;
        font-size: 0.85em;
      }
      .episode.status-in_plex { border-left-color: var(--success-color, #43a047); }
      .episode.status-failed { border-left-color: var(--error-color, #db4437); }
      .episode.status-downloading,
      .episode.status-grabbed { border-left-color: var(--warning-color, #ffa600); }
      .episode.status-searching { border-left-color: var(--info-color, #039be5); }
      .list .day {
        min-height: 0;
        margin-bottom: 6px;
      }
      .dialog {
        position: fixed;
        inset: 0;
        background: rgba(0, 0, 0, 0.5);
        display: flex;
        align-items: center;
        justify-content: center;
        z-index: 10;
      }
      .dialog > .card {
        max-width: 720px;
        width: calc(100% - 32px);
        max-height: 85vh;
        overflow: auto;
      }
      tr.chosen td {
        font-weight: 500;
        color: var(--success-color, #43a047);
      }
    `,
  ];

  declare mode: "week" | "month";
  declare anchor: Date;
  declare episodes: Episode[];
  declare open: Episode | null;
  declare decision: Decision | null;

  constructor() {
    super();
    this.mode = "week";
    this.anchor = new Date();
    this.episodes = [];
    this.open = null;
    this.decision = null;
  }

  protected async load(): Promise<void> {
    const current = this.fresh();
    const days = viewDays(this.anchor, this.mode);
    const end = new Date(days[days.length - 1].getFullYear(), days[days.length - 1].getMonth(), days[days.length - 1].getDate() + 1);
    const result = await this.ws<{ episodes: Episode[] }>({
      type: "plex_kiosk/calendar",
      start: days[0].toISOString(),
      end: end.toISOString(),
    });
    if (result && current()) this.episodes = result.episodes;
  }

  private move(step: number): void {
    this.anchor = step === 0 ? new Date() : shift(this.anchor, this.mode, step);
    this.load();
  }

  private setMode(mode: "week" | "month"): void {
    this.mode = mode;
    this.load();
  }

  private async show(episode: Episode): Promise<void> {
    this.open = episode;
    this.decision = null;
    if (episode.decision_id) {
      const result = await this.ws<{ decision: Decision }>({
        type: "plex_kiosk/decision",
        decision_id: episode.decision_id,
        language: this.language,
      });
      this.decision = result?.decision ?? null;
    }
  }

  private async retry(episode: Episode): Promise<void> {
    const result = await this.ws<{ grabbed: string | null }>({
      type: "plex_kiosk/episode/retry",
      episode_id: episode.id,
    });
    if (result) {
      this.open = null;
      this.load();
    }
  }

  render() {
    const days = viewDays(this.anchor, this.mode);
    const episodes = byDay(this.episodes);
    const title = new Intl.DateTimeFormat(this.language, { month: "long", year: "numeric" }).format(
      this.mode === "week" ? days[3] : this.anchor,
    );
    const today = dayKey(startOfDay(new Date()));
    const month = this.anchor.getMonth();
    const shown = this.narrow ? days.filter((d) => episodes.has(dayKey(d)) || dayKey(d) === today) : days;
    return html`
      <div class="card">
        <div class="row">
          <button class="flat" @click=${() => this.move(-1)} aria-label=${this.t("previous")}>‹</button>
          <button class="flat" @click=${() => this.move(0)}>${this.t("today")}</button>
          <button class="flat" @click=${() => this.move(1)} aria-label=${this.t("next")}>›</button>
          <h2 class="grow" style="margin:0;min-width:160px">${title}</h2>
          <button class=${this.mode === "week" ? "" : "flat"} @click=${() => this.setMode("week")}>${this.t("week")}</button>
          <button class=${this.mode === "month" ? "" : "flat"} @click=${() => this.setMode("month")}>${this.t("month")}</button>
        </div>
        ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
        <div class=${this.narrow ? "list" : "grid"} style="margin-top:12px">
          ${shown.map((day) => {
            const key = dayKey(day);
            const other = this.mode === "month" && day.getMonth() !== month;
            return html`<div class="day ${other ? "other" : ""} ${key === today ? "today" : ""}" data-day=${key}>
              <div class="day-head">
                ${new Intl.DateTimeFormat(this.language, { weekday: "short", day: "numeric", month: "short" }).format(day)}
              </div>
              ${(episodes.get(key) ?? []).map((e) => this.renderEpisode(e))}
            </div>`;
          })}
          ${this.narrow && this.episodes.length === 0 ? html`<p class="muted">${this.t("no_episodes")}</p>` : nothing}
        </div>
      </div>
      ${this.open ? this.renderDialog(this.open) : nothing}
    `;
  }

  private renderEpisode(e: Episode) {
    const status = shownStatus(e);
    const time = e.air_time ? this.when(e.air_time, { dateStyle: undefined, timeStyle: "short" }) : "";
    return html`<button class="episode status-${status}" @click=${() => this.show(e)}>
      <div><b>${e.series}</b> ${episodeCode(e)}</div>
      <div class="row">
        <span class="muted">${time}</span>
        <span class="badge status-${status}">${this.t(`status_${status}`)}${
          status === "downloading" && e.progress ? ` ${Math.round(e.progress * 100)} %` : ""
        }</span>
      </div>
    </button>`;
  }

  private renderDialog(e: Episode) {
    const d = this.decision;
    return html`<div class="dialog" @click=${(ev: Event) => ev.target === ev.currentTarget && (this.open = null)}>
      <div class="card" role="dialog" aria-label=${`${e.series} ${episodeCode(e)}`}>
        <div class="row">
          <h2 class="grow">${e.series} ${episodeCode(e)}${e.title ? ` · ${e.title}` : ""}</h2>
          <button class="flat" @click=${() => (this.open = null)}>${this.t("close")}</button>
        </div>
        <p>
          <span class="badge status-${shownStatus(e)}">${this.t(`status_${shownStatus(e)}`)}</span>
          <span class="muted">${this.when(e.air_time)}</span>
        </p>
        ${e.release_name ? html`<p class="name">${e.release_name}</p>` : nothing}
        ${this.admin && e.status === "failed"
          ? html`<button @click=${() => this.retry(e)} ?disabled=${this.busy}>${this.t("retry")}</button>`
          : nothing}
        ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
        ${d
          ? html`<h3>${this.t("decision")}</h3>
              <p>
                ${d.decided_by === "model" ? this.t("decided_by_model", { model: d.model ?? "" }) : this.t("decided_by_engine")}
              </p>
              ${d.advice ? html`<p class="model-reason"><b>${this.t("model_reason")}</b> ${d.advice}</p>` : nothing}
              ${d.explanation ? html`<p class="muted">${d.explanation}</p>` : nothing}
              <table>
                <thead><tr><th>${this.t("release")}</th><th>${this.t("score")}</th><th>${this.t("why")}</th></tr></thead>
                <tbody>
                  ${d.candidates.map(
                    (c) => html`<tr class=${c.name === d.chosen ? "chosen" : ""}>
                      <td class="name">${c.name === d.chosen ? "★ " : ""}${c.name}</td>
                      <td>${c.score}</td>
                      <td>${c.reason ?? c.rejected ?? ""}</td>
                    </tr>`,
                  )}
                </tbody>
              </table>`
          : html`<p class="muted">${e.decision_id ? this.t("loading") : this.t("no_decision")}</p>`}
      </div>
    </div>`;
  }
}

define("plex-kiosk-calendar", CalendarView);
