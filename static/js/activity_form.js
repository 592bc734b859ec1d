// Activity form: suggest the time zone of the chosen Lab's country while the zone is still empty.
(function () {
  "use strict";
  var data = document.getElementById("lab-time-zones");
  var lab = document.getElementById("id_lab");
  var zone = document.getElementById("id_time_zone");
  if (!data || !lab || !zone) return;
  var zones = JSON.parse(data.textContent);
  lab.addEventListener("change", function () {
    if (!zone.value && zones[lab.value]) zone.value = zones[lab.value];
  });
}());
