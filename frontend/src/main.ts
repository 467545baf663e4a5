/** One bundle for the panel and the cards (the cards load on every dashboard). */
import "./panel";
import "./cards";
