"""The AI agent: validated calls to the model, re-ranking, library reports."""
