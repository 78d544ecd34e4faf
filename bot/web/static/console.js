// complaintbot console: small progressive enhancements; every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // After a refused form, move the focus to the list of problems so it is read out first.
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    return;
  }
  // Select the whole one-time link on focus, ready to copy.
  const link = document.getElementById("one-time-link");
  if (link) {
    link.addEventListener("focus", () => link.select());
  }
});

// Flow editor: a "line N" link of a problem puts the cursor on that line of the YAML.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.goto-line[data-line]");
  const editor = document.getElementById("f-source");
  if (!link || !editor) {
    return;
  }
  event.preventDefault();
  const line = Number(link.dataset.line);
  const lines = editor.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
  const end = start + (lines[line - 1] || "").length;
  editor.focus();
  editor.setSelectionRange(start, end);
  const lineHeight = editor.scrollHeight / Math.max(lines.length, 1);
  editor.scrollTop = Math.max(0, (line - 3) * lineHeight);
});
