/** Chat with the library's assistant: answers streamed as the model writes, slash-command
 * completion, proposals confirmed or cancelled by the user who asked. */
import { css, html, nothing } from "lit";
import { completions } from "../logic";
import { define } from "../hass";
import { View } from "../view";

interface Proposal {
  id: string;
  summary: string;
  status: string;
}

interface Message {
  role: "user" | "assistant" | "error";
  text: string;
  reading?: string;
  proposals: Proposal[];
}

interface Conversation {
  id: string;
  turns: { role: "user" | "assistant"; text: string }[];
}

type ChatEvent =
  | { type: "delta"; text: string }
  | { type: "tool"; name: string }
  | { type: "proposal"; proposal: Proposal }
  | { type: "done"; conversation_id: string; answer: string }
  | { type: "error"; message: string };

export class ChatView extends View {
  static properties = {
    ...View.properties,
    messages: { state: true },
    draft: { state: true },
    talking: { state: true },
  };

  static styles = [
    ...View.styles,
    css`
      .messages {
        display: flex;
        flex-direction: column;
        gap: 8px;
        min-height: 200px;
      }
      .message {
        max-width: 85%;
        padding: 8px 12px;
        border-radius: 12px;
        overflow-wrap: anywhere;
      }
      .text {
        white-space: pre-wrap;
      }
      .user {
        align-self: flex-end;
        background: var(--primary-color, #03a9f4);
        color: var(--text-primary-color, #fff);
      }
      .assistant {
        align-self: flex-start;
        background: var(--secondary-background-color, #f0f0f0);
      }
      .error-message {
        align-self: flex-start;
        color: var(--error-color, #db4437);
      }
      .proposal {
        margin-top: 8px;
        padding: 8px;
        border: 1px solid var(--divider-color);
        border-radius: 8px;
        white-space: normal;
      }
      .completions button {
        margin: 4px 4px 0 0;
      }
    `,
  ];

  declare messages: Message[];
  declare draft: string;
  declare talking: boolean;
  private conversation?: string;

  constructor() {
    super();
    this.messages = [];
    this.draft = "";
    this.talking = false;
  }

  protected async load(): Promise<void> {
    if (this.conversation || this.messages.length) return; // changes elsewhere keep it as is
    const result = await this.ws<{ conversations: Conversation[] }>({ type: "plex_kiosk/chat/history" });
    const latest = result?.conversations[0];
    if (!latest || this.messages.length) return;
    this.conversation = latest.id;
    this.messages = latest.turns.map((turn) => ({ role: turn.role, text: turn.text, proposals: [] }));
  }

  private async send(ev?: Event): Promise<void> {
    ev?.preventDefault();
    const text = this.draft.trim();
    if (!text || this.talking) return;
    this.draft = "";
    this.talking = true;
    const answer: Message = { role: "assistant", text: "", proposals: [] };
    this.messages = [...this.messages, { role: "user", text, proposals: [] }, answer];
    const update = (change: Partial<Message>) => {
      Object.assign(answer, change);
      this.messages = [...this.messages];
    };
    let stop: (() => Promise<void>) | undefined;
    const finished = new Promise<void>((resolve) => {
      this.hass.connection
        .subscribeMessage<ChatEvent>(
          (event) => {
            if (event.type === "delta") update({ text: answer.text + event.text, reading: undefined });
            else if (event.type === "tool") update({ reading: event.name });
            else if (event.type === "proposal") update({ proposals: [...answer.proposals, event.proposal] });
            else {
              if (event.type === "done") {
                this.conversation = event.conversation_id;
                update({ text: event.answer, reading: undefined });
              } else update({ role: "error", text: event.message });
              resolve();
            }
          },
          {
            type: "plex_kiosk/chat/send",
            message: text,
            language: this.language,
            ...(this.conversation ? { conversation_id: this.conversation } : {}),
          },
        )
        .then((unsubscribe) => (stop = unsubscribe))
        .catch((err: { message?: string }) => {
          update({ role: "error", text: err.message ?? String(err) });
          resolve();
        });
    });
    await finished;
    await stop?.().catch(() => undefined);
    this.talking = false;
  }

  private async answer(proposal: Proposal, verb: "confirm" | "cancel"): Promise<void> {
    const result = await this.ws<{ proposal: Proposal }>({ type: `plex_kiosk/chat/${verb}`, proposal_id: proposal.id });
    if (!result) return;
    proposal.status = result.proposal.status;
    this.messages = [...this.messages];
  }

  render() {
    const suggestions = completions(this.draft, this.language);
    return html`<div class="card">
      <div class="messages" aria-live="polite">
        ${this.messages.length === 0 ? html`<p class="muted">${this.t("chat_hint")}</p>` : nothing}
        ${this.messages.map(
          (m) => html`<div class="message ${m.role === "error" ? "error-message" : m.role}">
            <div class="text">${m.text || (m.role === "assistant" ? "…" : "")}</div>
            ${m.reading ? html`<div class="muted">${this.t("reading", { tool: m.reading })}</div>` : nothing}
            ${m.proposals.map(
              (p) => html`<div class="proposal">
                <div>${p.summary}</div>
                ${p.status === "pending"
                  ? html`<div class="row" style="margin-top:6px">
                      <button @click=${() => this.answer(p, "confirm")}>${this.t("confirm")}</button>
                      <button class="flat" @click=${() => this.answer(p, "cancel")}>${this.t("cancel")}</button>
                    </div>`
                  : html`<span class="badge">${this.t(`proposal_${p.status}` as "proposal_done")}</span>`}
              </div>`,
            )}
          </div>`,
        )}
      </div>
      ${this.error ? html`<div class="error">${this.error}</div>` : nothing}
      <form class="row" style="margin-top:12px" @submit=${this.send}>
        <input class="grow" name="message" autocomplete="off" .value=${this.draft} placeholder=${this.t("chat_placeholder")}
          aria-label=${this.t("chat_placeholder")} @input=${(ev: Event) => (this.draft = (ev.target as HTMLInputElement).value)} />
        <button type="submit" ?disabled=${this.talking || !this.draft.trim()}>${this.t("send")}</button>
      </form>
      ${suggestions.length
        ? html`<div class="completions">
            ${suggestions.map((s) => html`<button class="flat" type="button" @click=${() => (this.draft = `${s} `)}>${s}</button>`)}
          </div>`
        : nothing}
    </div>`;
  }
}

define("plex-kiosk-chat", ChatView);
