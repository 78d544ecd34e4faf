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
