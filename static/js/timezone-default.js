// Sign-up: preselect the browser's time zone while the person has not picked one.
(function () {
  var select = document.querySelector("select[data-browser-timezone]");
  if (!select || select.value !== "UTC" || !window.Intl) return;
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone && select.querySelector('option[value="' + zone + '"]')) select.value = zone;
})();
