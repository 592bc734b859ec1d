// The network graph page: draws the organisations and relationships the server put in a json_script as a graph
// (cytoscape.js) or on a map (Leaflet), and keeps the table below (rendered by the server) in step with what is shown:
// the year of the time slider, the kinds of relationship ticked in the legend, and the organisation in focus.
// Every word comes translated from the page (graph-labels); colours and line styles from the server's one definition.
(function () {
  "use strict";
  var dataElement = document.getElementById("graph-data");
  if (!dataElement || typeof cytoscape === "undefined") return;

  function read(id) {
    return JSON.parse(document.getElementById(id).textContent);
  }
  function byKey(items) {
    var result = {};
    items.forEach(function (item) {
      result[item.key] = item;
    });
    return result;
  }
  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return values[key];
    });
  }
  function year(day) {
    return day ? parseInt(day.slice(0, 4), 10) : null;
  }

  var data = read("graph-data");
  var storedMetrics = read("graph-metrics");
  var labels = read("graph-labels");
  var kindColours = byKey(read("graph-kind-colours"));
  var sectorColours = byKey(read("graph-sector-colours"));
  var edgeStyles = byKey(read("graph-edge-styles"));
  var communityColours = read("graph-community-colours").map(function (item) {
    return item.colour;
  });
  var reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  var large = data.nodes.length > 250; // thinner lines, smaller nodes, labels only when zoomed in

  var state = { year: null, kinds: {}, focus: null, colourBy: "kind", sizeBy: "degree", view: "graph" };
  Object.keys(edgeStyles).forEach(function (kind) {
    state.kinds[kind] = true;
  });
  var nodesById = {};
  data.nodes.forEach(function (node) {
    nodesById[node.id] = node;
  });

  var controls = document.getElementById("graph-controls");
  var canvas = document.getElementById("graph-canvas");
  var mapElement = document.getElementById("graph-map");
  var status = document.getElementById("graph-status");
  var yearInput = document.getElementById("year");
  var yearOutput = document.getElementById("year-output");
  var searchInput = document.getElementById("graph-search-name");
  var names = document.getElementById("graph-names");
  data.nodes.forEach(function (node) {
    var option = document.createElement("option");
    option.value = node.label;
    names.appendChild(option);
  });
  controls.hidden = false;
  canvas.hidden = false;
  document.getElementById("graph-legends").hidden = false;

  // What is shown: an edge when its kind is ticked and it is active in the chosen year (undated: always).
  function edgeShown(edge) {
    if (!state.kinds[edge.kind]) return false;
    if (state.year === null) return true;
    var start = year(edge.start);
    var end = year(edge.end);
    return (start === null || start <= state.year) && (end === null || end >= state.year);
  }

  function shownEdges() {
    return data.edges.filter(edgeShown);
  }

  // The organisation in focus and its neighbours through the relationships shown, or null when nothing is in focus.
  function focusSet(edges) {
    if (state.focus === null) return null;
    var nodes = {};
    var edgeIds = {};
    nodes[state.focus] = true;
    edges.forEach(function (edge) {
      if (edge.source === state.focus || edge.target === state.focus) {
        nodes[edge.source] = true;
        nodes[edge.target] = true;
        edgeIds[edge.id] = true;
      }
    });
    return { nodes: nodes, edges: edgeIds };
  }

  function degrees(edges) {
    var result = {};
    data.nodes.forEach(function (node) {
      result[node.id] = 0;
    });
    edges.forEach(function (edge) {
      result[edge.source] += 1;
      result[edge.target] += 1;
    });
    return result;
  }

  function colourOf(node) {
    if (state.colourBy === "sector") return (sectorColours[node.sector] || sectorColours[""]).colour;
    if (state.colourBy === "community") {
      var row = storedMetrics[String(node.id)];
      var number = row && typeof row.community === "number" ? row.community : null;
      return number === null ? sectorColours[""].colour : communityColours[(number - 1) % communityColours.length];
    }
    return (kindColours[node.kind] || { colour: "#1d2327" }).colour;
  }

  // Sizes from the chosen metric, by square root so that areas follow the values; missing values (drafts, which the
  // analysis of published data does not count) get the smallest size.
  function sizes(degree) {
    var values = {};
    data.nodes.forEach(function (node) {
      if (state.sizeBy === "degree") values[node.id] = degree[node.id];
      else {
        var row = storedMetrics[String(node.id)];
        values[node.id] = row && typeof row[state.sizeBy] === "number" ? row[state.sizeBy] : null;
      }
    });
    var known = Object.keys(values)
      .map(function (id) {
        return values[id];
      })
      .filter(function (value) {
        return value !== null;
      });
    var min = Math.min.apply(null, known.concat([Infinity]));
    var max = Math.max.apply(null, known.concat([-Infinity]));
    var smallest = large ? 8 : 16;
    var largest = large ? 34 : 56;
    var result = {};
    Object.keys(values).forEach(function (id) {
      var value = values[id];
      var share = value === null || !(max > min) ? 0 : Math.sqrt((value - min) / (max - min));
      result[id] = smallest + (largest - smallest) * share;
    });
    return result;
  }

  // The graph
  var style = [
    {
      selector: "node",
      style: {
        "background-color": "data(colour)",
        width: "data(size)",
        height: "data(size)",
        label: "data(label)",
        "font-family": getComputedStyle(document.body).fontFamily,
        "font-size": 11,
        color: "#1d2327",
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-outline-color": "#ffffff",
        "text-outline-width": 2,
        "min-zoomed-font-size": large ? 9 : 6,
        "border-width": 1.5,
        "border-color": "#ffffff",
      },
    },
    { selector: "node.draft", style: { "border-style": "dashed", "border-width": 2.5, "border-color": "#1d2327" } },
    {
      selector: "edge",
      style: {
        width: "data(width)",
        "line-color": "data(colour)",
        "curve-style": large ? "straight" : "bezier",
        opacity: large ? 0.45 : 0.85,
      },
    },
    {
      selector: "edge.directed",
      style: { "target-arrow-shape": "triangle", "target-arrow-color": "data(colour)", "arrow-scale": 1.1 },
    },
    { selector: ".hidden", style: { display: "none" } },
    { selector: ".faded", style: { opacity: 0.12, "text-opacity": 0 } },
    { selector: "node.focus", style: { "border-width": 4, "border-color": "#b5460f", "font-weight": "bold" } },
  ];
  Object.keys(edgeStyles).forEach(function (kind) {
    var dash = edgeStyles[kind].dash;
    if (!dash) return;
    style.push({
      selector: 'edge[kind = "' + kind + '"]',
      style: { "line-style": "dashed", "line-dash-pattern": dash.split(" ").map(Number) },
    });
  });

  var elements = [];
  data.nodes.forEach(function (node) {
    elements.push({
      group: "nodes",
      data: { id: "n" + node.id, label: node.label, colour: colourOf(node), size: 16 },
      classes: node.published ? "" : "draft",
    });
  });
  data.edges.forEach(function (edge) {
    elements.push({
      group: "edges",
      data: {
        id: "e" + edge.id,
        source: "n" + edge.source,
        target: "n" + edge.target,
        kind: edge.kind,
        colour: (edgeStyles[edge.kind] || { colour: "#4f5b62" }).colour,
        width: (large ? 0.4 : 1.5) + (edge.strength || 1) * (large ? 0.2 : 0.6),
      },
      classes: (edge.directed ? "directed" : "") + (edge.published ? "" : " draft"),
    });
  });

  // Forces (cose) for up to 300 organisations, with fewer rounds as they grow (each round weighs every pair: at 2,000
  // organisations 50 rounds took 17 s); above that, rings by degree, drawn in a fraction of a second.
  // Rings by degree, hubs in the middle: the whole layout above 300 organisations, and below it the starting places of
  // the forces (the same graph is then drawn the same way each time, and a star's leaves start around their hub).
  function rings() {
    var degree = degrees(data.edges);
    return {
      name: "concentric",
      animate: false,
      minNodeSpacing: 4,
      concentric: function (node) {
        return degree[node.id().slice(1)];
      },
      levelWidth: function () {
        return 2;
      },
      fit: false,
    };
  }

  function layoutOptions() {
    var count = data.nodes.length;
    if (count > 300) return rings();
    cy.layout(rings()).run();
    return {
      name: "cose",
      animate: !reduceMotion && count <= 120 ? "end" : false,
      randomize: false,
      numIter: Math.max(50, Math.min(1000, Math.round(1.2e7 / (count * count)))),
      idealEdgeLength: function () {
        return 90;
      },
      nodeRepulsion: function () {
        return 20000;
      },
      nodeOverlap: 20,
      // Labels count as part of the nodes, so a name is not drawn over a neighbour.
      nodeDimensionsIncludeLabels: true,
      fit: false,
    };
  }

  // Elements added in one batch after the start: at 2,000 organisations, ten times faster than given to the start.
  var cy = cytoscape({
    container: canvas,
    style: style,
    minZoom: 0.05,
    maxZoom: 4,
    textureOnViewport: large,
    hideEdgesOnViewport: large,
    pixelRatio: large ? 1 : "auto",
  });
  cy.batch(function () {
    cy.add(elements);
  });
  // Never closer than this when the view fits a few organisations: their labels would be larger than the page's.
  var closest = 1.3;
  function fitTo(elements, padding, animate) {
    var box = elements.boundingBox();
    var zoom = Math.min(
      closest,
      (cy.width() - 2 * padding) / Math.max(box.w, 1),
      (cy.height() - 2 * padding) / Math.max(box.h, 1),
    );
    var viewport = {
      zoom: zoom,
      pan: { x: cy.width() / 2 - zoom * (box.x1 + box.w / 2), y: cy.height() / 2 - zoom * (box.y1 + box.h / 2) },
    };
    if (animate && !reduceMotion) cy.animate(viewport, { duration: 400 });
    else cy.viewport(viewport);
  }
  var layout = cy.layout(layoutOptions());
  layout.one("layoutstop", function () {
    fitTo(cy.elements(), 24, false);
    canvas.dataset.laidOut = "1";
  });
  layout.run();
  canvas.dataset.nodes = String(cy.nodes().length);

  // The map, drawn the first time it is shown
  var map = null;
  var mapLayers = null;
  function drawMap(edges, focus) {
    if (map === null) {
      var tiles = read("map-tiles");
      map = L.map(mapElement, { preferCanvas: true, scrollWheelZoom: false }).setView([48.5, 12.0], 4);
      L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
      mapLayers = L.layerGroup().addTo(map);
    }
    mapLayers.clearLayers();
    var bounds = L.latLngBounds([]);
    var located = 0;
    edges.forEach(function (edge) {
      var from = nodesById[edge.source];
      var to = nodesById[edge.target];
      if (from.lat === null || to.lat === null) return;
      var edgeStyle = edgeStyles[edge.kind] || { colour: "#4f5b62", dash: "" };
      L.polyline(
        [
          [from.lat, from.lon],
          [to.lat, to.lon],
        ],
        {
          color: edgeStyle.colour,
          dashArray: edgeStyle.dash || null,
          weight: 2 + (edge.strength || 1) * 0.4,
          opacity: focus && !focus.edges[edge.id] ? 0.1 : 0.8,
          interactive: false,
        },
      ).addTo(mapLayers);
    });
    data.nodes.forEach(function (node) {
      if (node.lat === null) return;
      located += 1;
      var faded = focus && !focus.nodes[node.id];
      var marker = L.circleMarker([node.lat, node.lon], {
        radius: large ? 4 : 7,
        color: node.published ? "#ffffff" : "#1d2327",
        dashArray: node.published ? null : "3 2",
        weight: 2,
        fillColor: colourOf(node),
        fillOpacity: faded ? 0.15 : 1,
        opacity: faded ? 0.15 : 1,
      }).addTo(mapLayers);
      var link = document.createElement("a");
      link.href = node.url;
      link.textContent = node.label + (node.published ? "" : " " + labels.draft);
      marker.bindPopup(link);
      bounds.extend([node.lat, node.lon]);
    });
    mapElement.dataset.markers = String(located);
    if (bounds.isValid() && !mapElement.dataset.fitted) {
      map.fitBounds(bounds, { maxZoom: 12, padding: [20, 20] });
      mapElement.dataset.fitted = "1";
    }
    return data.nodes.length - located;
  }

  // The table: rows shown, degrees in the year shown
  var nodeRows = document.querySelectorAll("#organisation-table tr[data-node]");
  var edgeRows = document.querySelectorAll("#relationship-table tr[data-edge]");
  function updateTable(edges, degree, focus) {
    var shown = {};
    edges.forEach(function (edge) {
      shown[edge.id] = true;
    });
    edgeRows.forEach(function (row) {
      var id = row.dataset.edge;
      row.hidden = !shown[id] || (focus !== null && !focus.edges[id]);
    });
    nodeRows.forEach(function (row) {
      var id = row.dataset.node;
      row.hidden = focus !== null && !focus.nodes[id];
      row.querySelector("[data-degree]").textContent = numbers.format(degree[id]);
    });
  }

  function update() {
    var edges = shownEdges();
    var degree = degrees(edges);
    var focus = focusSet(edges);
    var size = sizes(degree);
    var shown = {};
    edges.forEach(function (edge) {
      shown[edge.id] = true;
    });
    cy.batch(function () {
      cy.nodes().forEach(function (element) {
        var id = element.id().slice(1);
        element.data({ size: size[id], colour: colourOf(nodesById[id]) });
        element.toggleClass("faded", focus !== null && !focus.nodes[id]);
        element.toggleClass("focus", focus !== null && String(state.focus) === id);
      });
      cy.edges().forEach(function (element) {
        var id = element.id().slice(1);
        element.toggleClass("hidden", !shown[id]);
        element.toggleClass("faded", focus !== null && !focus.edges[id]);
      });
    });
    updateTable(edges, degree, focus);
    var unlocated = state.view === "map" ? drawMap(edges, focus) : 0;
    var message;
    if (focus !== null) {
      message = format(labels.focused, { name: nodesById[state.focus].label });
    } else {
      message = format(labels.shownCount, {
        nodes: numbers.format(data.nodes.length),
        edges: numbers.format(edges.length),
      });
    }
    if (unlocated) message += " " + format(labels.noLocation, { count: numbers.format(unlocated) });
    status.textContent = message;
  }

  function focusOn(id) {
    state.focus = id;
    update();
    var node = cy.getElementById("n" + id);
    fitTo(
      node.closedNeighborhood().filter(function (element) {
        return !element.hasClass("hidden");
      }),
      60,
      true,
    );
  }

  function showAll() {
    state.focus = null;
    searchInput.value = "";
    update();
    fitTo(cy.elements(), 24, true);
  }

  // Controls
  document.getElementById("size-by").addEventListener("change", function (event) {
    state.sizeBy = event.target.value;
    update();
  });
  document.getElementById("colour-by").addEventListener("change", function (event) {
    state.colourBy = event.target.value;
    ["kind", "sector", "community"].forEach(function (key) {
      var legend = document.getElementById("legend-" + key);
      if (legend) legend.hidden = state.colourBy !== key;
    });
    update();
  });
  if (yearInput) {
    var allYears = parseInt(yearInput.max, 10);
    var onYear = function () {
      var value = parseInt(yearInput.value, 10);
      state.year = value === allYears ? null : value;
      var text = state.year === null ? labels.allYears : String(state.year);
      yearOutput.textContent = text;
      yearInput.setAttribute("aria-valuetext", text);
      update();
    };
    yearInput.addEventListener("input", onYear);
    yearInput.setAttribute("aria-valuetext", labels.allYears);
  }
  document.querySelectorAll(".legend-edges input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", function () {
      state.kinds[box.value] = box.checked;
      update();
    });
  });
  document.getElementById("graph-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var wanted = searchInput.value.trim().toLowerCase();
    if (!wanted) return showAll();
    var match =
      data.nodes.find(function (node) {
        return node.label.toLowerCase() === wanted;
      }) ||
      data.nodes.find(function (node) {
        return node.label.toLowerCase().indexOf(wanted) !== -1;
      });
    if (!match) {
      status.textContent = format(labels.notFound, { name: searchInput.value.trim() });
      return;
    }
    searchInput.value = match.label;
    focusOn(match.id);
  });
  document.getElementById("show-all").addEventListener("click", showAll);
  cy.on("tap", "node", function (event) {
    var id = parseInt(event.target.id().slice(1), 10);
    searchInput.value = nodesById[id].label;
    focusOn(id);
  });
  document.querySelectorAll(".graph-switch input[name=view]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (!radio.checked) return;
      state.view = radio.value;
      canvas.hidden = state.view !== "graph";
      mapElement.hidden = state.view !== "map";
      if (state.view === "graph") cy.resize();
      update();
      if (state.view === "map") map.invalidateSize();
    });
  });

  update();
})();
