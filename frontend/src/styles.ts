/** Shared styles: Home Assistant's theme variables only, so light and dark themes apply. */
import { css } from "lit";

export const shared = css`
  :host {
    display: block;
    color: var(--primary-text-color);
    font-family: var(--paper-font-body1_-_font-family, Roboto, sans-serif);
  }
  .card {
    background: var(--card-background-color, var(--ha-card-background, #fff));
    border-radius: var(--ha-card-border-radius, 12px);
    border: 1px solid var(--divider-color, #e0e0e0);
    padding: 16px;
    margin-bottom: 16px;
  }
  h2 {
    font-size: 1.15em;
    font-weight: 500;
    margin: 0 0 12px;
  }
  h3 {
    font-size: 1em;
    font-weight: 500;
    margin: 12px 0 8px;
  }
  button {
    font: inherit;
    cursor: pointer;
    border-radius: 8px;
    border: 1px solid var(--primary-color, #03a9f4);
    background: var(--primary-color, #03a9f4);
    color: var(--text-primary-color, #fff);
    padding: 6px 12px;
    min-height: 32px;
  }
  button.flat {
    background: transparent;
    color: var(--primary-color, #03a9f4);
  }
  button.danger {
    background: var(--error-color, #db4437);
    border-color: var(--error-color, #db4437);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  input,
  select {
    font: inherit;
    color: var(--primary-text-color);
    background: var(--input-fill-color, var(--secondary-background-color, #f5f5f5));
    border: 1px solid var(--divider-color, #ccc);
    border-radius: 8px;
    padding: 6px 8px;
    min-height: 32px;
    box-sizing: border-box;
  }
  .row {
    display: flex;
    gap: 8px;
    align-items: center;
    flex-wrap: wrap;
  }
  .grow {
    flex: 1;
    min-width: 0;
  }
  .muted {
    color: var(--secondary-text-color);
    font-size: 0.9em;
  }
  .error {
    color: var(--error-color, #db4437);
    margin: 8px 0;
  }
  .badge {
    display: inline-block;
    border-radius: 10px;
    padding: 1px 8px;
    font-size: 0.8em;
    background: var(--secondary-background-color, #eee);
    color: var(--primary-text-color);
    white-space: nowrap;
  }
  .status-pending { background: var(--secondary-background-color, #eee); }
  .status-searching { background: var(--info-color, #039be5); color: #fff; }
  .status-grabbed { background: var(--accent-color, #ff9800); color: #fff; }
  .status-downloading { background: var(--warning-color, #ffa600); color: #000; }
  .status-in_plex { background: var(--success-color, #43a047); color: #fff; }
  .status-failed,
  .severity-critical { background: var(--error-color, #db4437); color: #fff; }
  .severity-important { background: var(--warning-color, #ffa600); color: #000; }
  ul.list {
    list-style: none;
    padding: 0;
    margin: 0;
  }
  ul.list > li {
    padding: 8px 0;
    border-bottom: 1px solid var(--divider-color, #eee);
  }
  ul.list > li:last-child {
    border-bottom: none;
  }
  .bar {
    height: 8px;
    border-radius: 4px;
    background: var(--secondary-background-color, #eee);
    overflow: hidden;
  }
  .bar > div {
    height: 100%;
    background: var(--primary-color, #03a9f4);
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.9em;
  }
  th,
  td {
    text-align: left;
    padding: 4px 6px;
    border-bottom: 1px solid var(--divider-color, #eee);
    vertical-align: top;
  }
  .name {
    overflow-wrap: anywhere;
  }
`;
