/** The library by audio class, resolution and codec; upgrade candidates to apply or
 * dismiss; the history with undo; the rules (administrators change them). */
import { html, nothing } from "lit";
import { bytes, ranked } from "../logic";
import { define } from "../hass";
import { View } from "../view";

interface Item {
  rating_key: string;
  title: string;
  media_type: string;
  year: number | null;
  season: number | null;
  episode: number | null;
  resolution: string | null;
  video_codec: string | null;
  audio_class: string;
  size: number;
  score: number;
}

interface Library {
  total: number;
  matching: number;
  audio_class: Record<string, number>;
  resolution: Record<string, number>;
  video_codec: Record<string, number>;
  items: Item[];
}

interface Candidate {
  id: string;
  title: string;
  release_name: string;
  current_score: number;
  new_score: number;
  status: string;
  reason: string | null;
  size: number;
}

interface Rule {
  id: string;
  name: string;
  source: string;
  target: string;
  min_gain: number;
  auto_apply: boolean;
  enabled: boolean;
}

interface History {
  id: string;
  title: string;
  release_name: string;
  outcome: string;
  old_score: number;
  new_score: number;
  at: string;
  purged: boolean;
  recycled_path: string | null;
  reason: string | null;
}

interface Upgrades {
  candidates: Candidate[];
  rules: Rule[];
  history: History[];
}

const RULE_SOURCES = ["VO", "VOSTFR", "VF", "720p", "1080p", "x264"];
const RULE_TARGETS = ["VOSTFR", "VF", "MULTI", "1080p", "2160p", "HEVC"];

type Filter = Partial<Record<"audio_class" | "resolution" | "video_codec", string>>;

export class LibraryView extends View {
  static properties = {
    ...View.properties,
    library: { state: true },
    upgrades: { state: true },
    filter: { state: true },
    removing: { state: true },
  };

  declare library: Library | undefined;
  declare upgrades: Upgrades | undefined;
  declare filter: Filter;
  declare removing: string | null;

  constructor() {
    super();
    this.filter = {};
    this.removing = null;
  }

  protected async load(): Promise<void> {
    const current = this.fresh();
    const [library, upgrades] = await Promise.all([
      this.ws<Library>({ type: "plex_kiosk/library", ...this.filter }),
      this.ws<Upgrades>({ type: "plex_kiosk/upgrades" }),
    ]);
    if (!current()) return;
    if (library) this.library = library;
    if (upgrades) this.upgrades = upgrades;
  }

  private toggle(key: keyof Filter, value: string): void {
    this.filter = this.filter[key] === value ? { ...this.filter, [key]: undefined } : { ...this.filter, [key]: value };
    this.filter = Object.fromEntries(Object.entries(this.filter).filter(([, v]) => v !== undefined));
    this.load();
  }

  private async run(type: string, data: Record<string, unknown>): Promise<void> {
    if (await this.ws({ type, data })) this.load();
  }

  render() {
    const lib = this.library;
    const up = this.upgrades;
    return html`
      ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
      ${up ? this.renderCandidates(up.candidates) : nothing}
      ${lib ? this.renderLibrary(lib) : html`<div class="card muted">${this.t("loading")}</div>`}
      ${up ? this.renderHistory(up.history) : nothing} ${up ? this.renderRules(up.rules) : nothing}
    `;
  }

  private renderLibrary(lib: Library) {
    const facet = (key: keyof Filter, counts: Record<string, number>) =>
      html`<div class="row facet" style="margin-bottom:6px">
        <span class="muted" style="min-width:90px">${this.t(`facet_${key}`)}</span>
        ${ranked(counts).map(
          ([value, count]) =>
            html`<button class=${this.filter[key] === value ? "" : "flat"} @click=${() => this.toggle(key, value)}>
              ${value} · ${count}
            </button>`,
        )}
      </div>`;
    return html`<div class="card">
      <h2>${this.t("library_items", { count: lib.total })}</h2>
      ${facet("audio_class", lib.audio_class)} ${facet("resolution", lib.resolution)} ${facet("video_codec", lib.video_codec)}
      <p class="muted">${this.t("library_shown", { shown: lib.items.length, matching: lib.matching })}</p>
      <div style="overflow-x:auto">
        <table class="items">
          <thead><tr><th>${this.t("title")}</th><th>${this.t("facet_resolution")}</th><th>${this.t("facet_video_codec")}</th>
            <th>${this.t("facet_audio_class")}</th><th>${this.t("size")}</th><th>${this.t("score")}</th></tr></thead>
          <tbody>
            ${lib.items.map(
              (i) => html`<tr>
                <td>${i.title}${i.season !== null && i.episode !== null ? ` S${String(i.season).padStart(2, "0")}E${String(i.episode).padStart(2, "0")}` : ""}
                  ${i.year ? html`<span class="muted">(${i.year})</span>` : nothing}</td>
                <td>${i.resolution ?? ""}</td><td>${i.video_codec ?? ""}</td><td>${i.audio_class}</td>
                <td>${bytes(i.size)}</td><td>${i.score}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </div>`;
  }

  private renderCandidates(candidates: Candidate[]) {
    const open = candidates.filter((c) => c.status === "available");
    return html`<div class="card">
      <h2>${this.t("upgrades")} (${open.length})</h2>
      ${open.length === 0 ? html`<p class="muted">${this.t("no_upgrades")}</p>` : nothing}
      <ul class="list candidates">
        ${open.map(
          (c) => html`<li data-candidate=${c.id}>
            <div class="row">
              <span class="grow"><b>${c.title}</b> <span class="badge">${c.current_score} → ${c.new_score}</span></span>
              ${this.admin
                ? html`<button @click=${() => this.run("plex_kiosk/upgrade/apply", { candidate_id: c.id })} ?disabled=${this.busy}>${this.t("apply")}</button>
                    <button class="flat" @click=${() => this.action("dismiss_upgrade", { candidate_id: c.id }).then(() => this.load())} ?disabled=${this.busy}>${this.t("dismiss")}</button>`
                : nothing}
            </div>
            <div class="name muted">${c.release_name} · ${bytes(c.size)}</div>
            ${c.reason ? html`<div class="muted">${c.reason}</div>` : nothing}
          </li>`,
        )}
      </ul>
    </div>`;
  }

  private renderHistory(history: History[]) {
    return html`<div class="card">
      <h2>${this.t("history")}</h2>
      ${history.length === 0 ? html`<p class="muted">${this.t("no_history")}</p>` : nothing}
      <ul class="list history">
        ${history.slice(0, 50).map(
          (h) => html`<li class="row" data-history=${h.id}>
            <span class="grow"><b>${h.title}</b> <span class="badge">${this.t(`outcome_${h.outcome}` as "outcome_applied")}</span>
              <div class="name muted">${h.release_name} · ${h.old_score} → ${h.new_score} · ${this.when(h.at)}</div>
              ${h.reason ? html`<div class="muted">${h.reason}</div>` : nothing}</span>
            ${this.admin && h.outcome === "applied" && h.recycled_path && !h.purged
              ? html`<button class="flat" @click=${() => this.run("plex_kiosk/upgrade/restore", { history_id: h.id })} ?disabled=${this.busy}>${this.t("undo")}</button>`
              : nothing}
          </li>`,
        )}
      </ul>
    </div>`;
  }

  private addRule(): void {
    const value = (name: string) => (this.renderRoot.querySelector(`[name=${name}]`) as HTMLSelectElement).value;
    this.run("plex_kiosk/upgrade_rule/add", { source: value("rule_source"), target: value("rule_target") });
  }

  private removeRule(rule: Rule): void {
    if (this.removing !== rule.id) {
      this.removing = rule.id;
      return;
    }
    this.removing = null;
    this.run("plex_kiosk/upgrade_rule/remove", { rule_id: rule.id });
  }

  private renderRules(rules: Rule[]) {
    const update = (rule: Rule, changes: Partial<Rule>) =>
      this.run("plex_kiosk/upgrade_rule/update", { rule_id: rule.id, ...changes });
    const choice = (name: string, options: string[]) =>
      html`<select name=${name} aria-label=${this.t(name as "rule_source")}>${options.map((o) => html`<option>${o}</option>`)}</select>`;
    return html`<div class="card">
      <h2>${this.t("rules")}</h2>
      <table class="rules">
        <thead><tr><th>${this.t("rule")}</th><th>${this.t("min_gain")}</th><th>${this.t("auto_apply")}</th><th>${this.t("enabled")}</th>${this.admin ? html`<th></th>` : nothing}</tr></thead>
        <tbody>
          ${rules.map(
            (r) => html`<tr data-rule=${`${r.source}→${r.target}`}>
              <td>${r.name} <span class="muted">${r.source} → ${r.target}</span></td>
              <td>${this.admin
                ? html`<input type="number" min="0" max="100" style="width:5em" .value=${String(r.min_gain)} aria-label=${this.t("min_gain")}
                    @change=${(ev: Event) => update(r, { min_gain: Number((ev.target as HTMLInputElement).value) })} />`
                : r.min_gain}</td>
              <td><input type="checkbox" .checked=${r.auto_apply} ?disabled=${!this.admin} aria-label=${this.t("auto_apply")}
                @change=${(ev: Event) => update(r, { auto_apply: (ev.target as HTMLInputElement).checked })} /></td>
              <td><input type="checkbox" .checked=${r.enabled} ?disabled=${!this.admin} aria-label=${this.t("enabled")}
                @change=${(ev: Event) => update(r, { enabled: (ev.target as HTMLInputElement).checked })} /></td>
              ${this.admin
                ? html`<td><button class=${this.removing === r.id ? "danger" : "flat"} @click=${() => this.removeRule(r)}>
                    ${this.removing === r.id ? this.t("rule_remove_confirm") : this.t("rule_remove")}</button></td>`
                : nothing}
            </tr>`,
          )}
        </tbody>
      </table>
      ${this.admin
        ? html`<div class="row" style="margin-top:12px">
            ${choice("rule_source", RULE_SOURCES)} → ${choice("rule_target", RULE_TARGETS)}
            <button @click=${this.addRule} ?disabled=${this.busy}>${this.t("rule_add")}</button>
          </div>`
        : nothing}
    </div>`;
  }
}

define("plex-kiosk-library", LibraryView);
