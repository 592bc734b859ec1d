// Location of a practice or space: find a place by name in the offline gazetteer, or type coordinates.
(function () {
  "use strict";
  var finder = document.getElementById("place-finder");
  if (!finder) return;
  var input = document.getElementById("place-query");
  var list = document.getElementById("place-results");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");

  function choose(place) {
    if (window.conectPointField) window.conectPointField.place([place.latitude, place.longitude], 13);
    var city = document.getElementById("id_city");
    var country = document.getElementById("id_country");
    if (city && !city.value) city.value = place.name;
    if (country && !country.value) country.value = place.country;
    list.innerHTML = "";
  }

  document.getElementById("place-find").addEventListener("click", function () {
    fetch(finder.dataset.url + "?q=" + encodeURIComponent(input.value))
      .then(function (r) { return r.json(); })
      .then(function (data) {
        list.innerHTML = "";
        if (!data.places.length) { list.textContent = finder.dataset.none; return; }
        data.places.forEach(function (place) {
          var li = document.createElement("li");
          var button = document.createElement("button");
          button.type = "button";
          button.className = "link-button";
          button.textContent = place.label;
          button.addEventListener("click", function () { choose(place); });
          li.appendChild(button);
          list.appendChild(li);
        });
      });
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); document.getElementById("place-find").click(); }
  });
  function typed() {
    var la = parseFloat(lat.value), lo = parseFloat(lng.value);
    if (!isNaN(la) && !isNaN(lo) && Math.abs(la) <= 90 && Math.abs(lo) <= 180 && window.conectPointField) {
      window.conectPointField.place([la, lo], 14);
    }
  }
  lat.addEventListener("change", typed);
  lng.addEventListener("change", typed);
  // The pin and the boxes say the same place, whichever moved: the boxes win when the form is saved.
  document.addEventListener("conect:point", function (e) {
    var latlng = L.latLng(e.detail).wrap();
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
  });
  document.addEventListener("conect:point-removed", function () {
    lat.value = "";
    lng.value = "";
  });
})();
