/** Reports: the health score and its trend, issues by severity, recommendations to apply
 * or dismiss (administrators), and an analysis on demand. */
import { html, nothing } from "lit";
import { define } from "../hass";
import { View } from "../view";

interface Summary {
  report_id: string;
  type: string;
  generated_at: string;
  health_score: number;
  trend: number | null;
}

interface Issue {
  id: string;
  title: string;
  description: string;
}

interface Recommendation {
  id: string;
  priority: number;
  kind: string;
  title: string;
  description: string;
  severity: string;
  status: string;
}

interface Report extends Summary {
  items: number;
  issue_counts: Record<string, number>;
  issues: Record<string, Issue[]>;
  recommendations: Recommendation[];
  summary: string;
  model: string | null;
}

const SEVERITIES = ["critical", "important", "minor"];

export class ReportsView extends View {
  static properties = {
    ...View.properties,
    reports: { state: true },
    report: { state: true },
  };

  declare reports: Summary[];
  declare report: Report | null;

  constructor() {
    super();
    this.reports = [];
    this.report = null;
  }

  protected async load(): Promise<void> {
    const current = this.fresh();
    const list = await this.ws<{ reports: Summary[] }>({ type: "plex_kiosk/reports" });
    if (!list || !current()) return;
    const wanted = this.report && list.reports.some((r) => r.report_id === this.report?.report_id) ? this.report.report_id : list.reports[0]?.report_id;
    const report = wanted ? await this.ws<{ report: Report }>({ type: "plex_kiosk/report", report_id: wanted }) : undefined;
    if (!current()) return;
    this.reports = list.reports;
    this.report = report?.report ?? null;
  }

  private async open(reportId: string): Promise<void> {
    const current = this.fresh();
    const result = await this.ws<{ report: Report }>({ type: "plex_kiosk/report", report_id: reportId });
    if (result && current()) this.report = result.report;
  }

  private async decide(rec: Recommendation, verb: "apply" | "dismiss"): Promise<void> {
    if (!this.report) return;
    const data = { recommendation_id: rec.id, report_id: this.report.report_id };
    if (await this.ws({ type: `plex_kiosk/recommendation/${verb}`, data })) this.load();
  }

  private async analyse(): Promise<void> {
    if (await this.ws({ type: "plex_kiosk/analyse", data: { type: "full" } })) {
      this.report = null; // the new report is the one to show
      await this.load();
    }
  }

  render() {
    const r = this.report;
    return html`
      <div class="card">
        <div class="row">
          <h2 class="grow" style="margin:0">${this.t("tab_reports")}</h2>
          ${this.reports.length > 1
            ? html`<select aria-label=${this.t("report")} @change=${(ev: Event) => this.open((ev.target as HTMLSelectElement).value)}>
                ${this.reports.map((s) => html`<option value=${s.report_id} ?selected=${s.report_id === r?.report_id}>${this.when(s.generated_at)} · ${s.health_score}</option>`)}
              </select>`
            : nothing}
          ${this.admin ? html`<button @click=${this.analyse} ?disabled=${this.busy}>${this.t("analyse_now")}</button>` : nothing}
        </div>
        ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
        ${r ? nothing : html`<p class="muted">${this.t("no_reports")}</p>`}
      </div>
      ${r ? this.renderReport(r) : nothing}
    `;
  }

  private renderReport(r: Report) {
    const trend = r.trend === null ? "" : r.trend > 0 ? `▲ +${r.trend}` : r.trend < 0 ? `▼ ${r.trend}` : "=";
    const history = [...this.reports].reverse().slice(-12);
    return html`
      <div class="card">
        <div class="row">
          <span class="score" style="font-size:2.4em;font-weight:500">${r.health_score}</span><span class="muted">/100</span>
          <span class="trend">${trend}</span>
          <span class="grow muted">${this.when(r.generated_at)} · ${this.t("library_items", { count: r.items })}${r.model ? ` · ${r.model}` : ""}</span>
        </div>
        ${history.length > 1
          ? html`<div class="row spark" style="align-items:flex-end;height:40px;gap:3px;margin:8px 0" aria-label=${this.t("trend")}>
              ${history.map((h) => html`<div title=${`${this.when(h.generated_at)}: ${h.health_score}`} style="width:10px;height:${Math.max(4, h.health_score * 0.4)}px;background:var(--primary-color)"></div>`)}
            </div>`
          : nothing}
        <p class="summary">${r.summary}</p>
      </div>
      <div class="card">
        <h2>${this.t("issues")}</h2>
        ${SEVERITIES.map((sev) =>
          r.issue_counts[sev]
            ? html`<h3><span class="badge severity-${sev}">${this.t(`severity_${sev}` as "severity_minor")}</span> ${r.issue_counts[sev]}</h3>
                <ul class="list">${(r.issues[sev] ?? []).map((i) => html`<li><b>${i.title}</b> <span class="muted">${i.description}</span></li>`)}</ul>`
            : nothing,
        )}
        ${SEVERITIES.every((s) => !r.issue_counts[s]) ? html`<p class="muted">${this.t("no_issues")}</p>` : nothing}
      </div>
      <div class="card">
        <h2>${this.t("recommendations")}</h2>
        ${r.recommendations.length === 0 ? html`<p class="muted">${this.t("no_recommendations")}</p>` : nothing}
        <ul class="list recommendations">
          ${r.recommendations.map(
            (rec) => html`<li>
              <div class="row">
                <span class="grow"><b>${rec.title}</b> <span class="badge">${this.t(`rec_${rec.status}` as "rec_pending")}</span></span>
                ${this.admin && (rec.status === "pending" || rec.status === "approved")
                  ? html`<button @click=${() => this.decide(rec, "apply")} ?disabled=${this.busy}>${this.t("apply")}</button>
                      <button class="flat" @click=${() => this.decide(rec, "dismiss")} ?disabled=${this.busy}>${this.t("dismiss")}</button>`
                  : nothing}
              </div>
              <div class="muted">${rec.description}</div>
            </li>`,
          )}
        </ul>
      </div>
    `;
  }
}

define("plex-kiosk-reports", ReportsView);
