// interdict view: draws a run (the network over time) or a study (variants compared, one run of
// each to open) from the JSON that interdict_analysis/view.py embeds in the page. Plain DOM and
// SVG, no library, no external resource.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("interdict-data").textContent);
  // The SVG namespace, taken from the HTML parser rather than written out as a URL.
  const SVG_NS = (() => {
    const d = document.createElement("div");
    d.innerHTML = "<svg></svg>";
    return d.firstChild.namespaceURI;
  })();
  const COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
    "#7f7f7f", "#bcbd22", "#17becf"];
  const RECENT_DAYS = 30;  // interventions and seizures this recent are highlighted
  const HALO_DAYS = 10;    // a node that stopped or resumed this recently gets a ring
  const PLAY_SECONDS = 30; // a whole run plays in about this long

  // --- small helpers -----------------------------------------------------------------------

  function element(ns, tag, attrs, parent, text) {
    const e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  const h = (tag, attrs, parent, text) => element(null, tag, attrs, parent, text);
  const s = (tag, attrs, parent, text) => element(SVG_NS, tag, attrs, parent, text);

  // Numbers for readers: thousands separators from 1,000 on, else three significant digits.
  function fmt(x) {
    if (x === null || x === undefined || Number.isNaN(x)) return "–";
    if (x === 0) return "0";
    const a = Math.abs(x);
    if (a >= 1000) return Math.round(x).toLocaleString("en-US");
    const decimals = Math.max(0, 2 - Math.floor(Math.log10(a)));
    return Number(x.toFixed(decimals)).toLocaleString("en-US", {maximumFractionDigits: decimals});
  }
  const unitText = (u) => (u && u !== "1" ? " " + u : "");
  const interval = (lo, hi) => `${fmt(lo)} to ${fmt(hi)}`;
  const signed = (x) => (x > 0 ? "+" : "") + fmt(x);

  // Daily rate of a cumulative series over a trailing window, as plot_timeseries(per_day=True).
  function perDay(values, time, window) {
    const step = time.length > 1 ? (time[time.length - 1] - time[0]) / (time.length - 1) : 1;
    const lag = Math.max(1, Math.round(window / step));
    return values.map((v, i) => (i < lag || v === null || values[i - lag] === null
      ? null : (v - values[i - lag]) / (lag * step)));
  }

  // Index of the last sample at or before t (binary search on sorted times).
  function lastAtOrBefore(times, t) {
    let lo = 0, hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= t) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  function niceTicks(lo, hi, count) {
    if (!(hi > lo)) return [lo];
    const raw = (hi - lo) / count;
    const p = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= raw);
    const ticks = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) ticks.push(v);
    return ticks;
  }

  // --- a time chart: lines, bands, intervention markers and the current time ---------------

  // opts: {time, lines: [{values, colour, label, low, high}], title, units, duration,
  //        markers: [{time, label}], zero, onClick(t)}
  function timeChart(parent, opts) {
    const W = 640, H = 230, L = 62, R = 12, T = 22, B = 26;
    const svg = s("svg", {viewBox: `0 0 ${W} ${H}`, role: "img"}, parent);
    let lo = Infinity, hi = -Infinity;
    for (const line of opts.lines) {
      for (const arr of [line.values, line.low, line.high]) {
        for (const v of arr || []) if (v !== null) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
      }
    }
    if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
    if (opts.zero || lo > 0) lo = Math.min(lo, 0);
    if (hi === lo) hi = lo + 1;
    const pad = 0.04 * (hi - lo);
    hi += pad;
    if (lo < 0) lo -= pad;
    const t0 = 0, t1 = opts.duration || opts.time[opts.time.length - 1] || 1;
    const x = (t) => L + (W - L - R) * (t - t0) / (t1 - t0);
    const y = (v) => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
    s("text", {x: L, y: 14, "font-size": 13, "font-weight": 600}, svg,
      opts.title + unitText(opts.units));
    const axis = s("g", {class: "axis"}, svg);
    for (const v of niceTicks(lo, hi, 5)) {
      s("line", {x1: L, x2: W - R, y1: y(v), y2: y(v), "stroke-dasharray": v === 0 ? "" : "2 3"},
        axis);
      s("text", {x: L - 4, y: y(v) + 4, "text-anchor": "end"}, axis, fmt(v));
    }
    for (const t of niceTicks(t0, t1, 8)) {
      s("text", {x: x(t), y: H - 8, "text-anchor": "middle"}, axis, fmt(t));
    }
    for (const m of opts.markers || []) {
      s("line", {x1: x(m.time), x2: x(m.time), y1: T, y2: H - B, stroke: "#999",
        "stroke-dasharray": "3 3"}, svg);
      s("text", {x: x(m.time) + 2, y: T + 9, "font-size": 10, fill: "#777"}, svg, m.label);
    }
    const path = (values) => {
      let d = "", pen = false;
      values.forEach((v, i) => {
        if (v === null) { pen = false; return; }
        d += `${pen ? "L" : "M"}${x(opts.time[i]).toFixed(1)},${y(v).toFixed(1)}`;
        pen = true;
      });
      return d;
    };
    for (const line of opts.lines) {
      if (line.low && line.high) {  // the band, one polygon per run of finite values
        let run = [];
        const flush = () => {
          if (run.length > 1) {
            const top = run.map((i) => `${x(opts.time[i]).toFixed(1)},${y(line.high[i]).toFixed(1)}`);
            const bottom = run.slice().reverse()
              .map((i) => `${x(opts.time[i]).toFixed(1)},${y(line.low[i]).toFixed(1)}`);
            s("polygon", {points: top.concat(bottom).join(" "), fill: line.colour,
              "fill-opacity": 0.18, stroke: "none"}, svg);
          }
          run = [];
        };
        line.low.forEach((v, i) => (v === null || line.high[i] === null ? flush() : run.push(i)));
        flush();
      }
      s("path", {d: path(line.values), fill: "none", stroke: line.colour, "stroke-width": 1.6},
        svg);
    }
    const cursor = s("line", {y1: T, y2: H - B, stroke: "#d62728", "stroke-width": 1.5}, svg);
    const readout = s("text", {x: W - R, y: 14, "text-anchor": "end", "font-size": 12}, svg);
    if (opts.onClick) {
      svg.style.cursor = "crosshair";
      svg.addEventListener("click", (ev) => {
        const box = svg.getBoundingClientRect();
        const px = (ev.clientX - box.left) * W / box.width;
        opts.onClick(Math.min(t1, Math.max(t0, t0 + (px - L) / (W - L - R) * (t1 - t0))));
      });
    }
    return {
      svg,
      setTime(t) {
        if (t === null) { cursor.setAttribute("visibility", "hidden"); return; }
        cursor.setAttribute("x1", x(t));
        cursor.setAttribute("x2", x(t));
        const i = lastAtOrBefore(opts.time, t);
        const parts = opts.lines.filter((l) => l.label)
          .map((l) => `${l.label} ${i >= 0 ? fmt(l.values[i]) : "–"}`);
        readout.textContent = `day ${fmt(t)}: ${parts.join(", ")}`;
      },
    };
  }

  // --- the map of a run ----------------------------------------------------------------------

  const PLACE_COLOURS = {source: "#8c564b", market: "#9467bd", port: "#1f77b4",
    coast: "#1f77b4", border: "#555"};
  const TIE_STYLE = {  // colour, width, dash
    land: ["#888", 2, ""], sea: ["#1f77b4", 2, "8 5"], air: ["#888", 2, "2 4"],
    radio: ["#2ca02c", 1.4, ""], social: ["#ff7f0e", 1, ""]};

  function nodeShape(g, kind, detail) {
    if (kind === "place") {
      return s("circle", {r: 5, fill: PLACE_COLOURS[detail] || "#666", stroke: "#fff"}, g);
    }
    if (kind === "cell") return s("circle", {r: 7, fill: "#ff7f0e", stroke: "#000", "stroke-width": 0.7}, g);
    if (kind === "relay") {
      const r = detail === "control-centre" ? 12 : 9;
      return s("path", {d: `M0,${-r} L${0.87 * r},${0.5 * r} L${-0.87 * r},${0.5 * r} Z`,
        fill: "#2ca02c", stroke: "#000", "stroke-width": 0.7}, g);
    }
    return s("path", {d: "M0,-8 L6,0 L0,8 L-6,0 Z", fill: "#1f77b4", stroke: "#000",
      "stroke-width": 0.7}, g);
  }

  function runMap(parent, run) {
    const m = run.map, n = m.nodes, count = n.id.length;
    const svg = s("svg", {viewBox: `0 0 ${m.width} ${m.height}`, class: "network-map"}, parent);
    s("rect", {width: m.width, height: m.height, fill: "#f4f7fb"}, svg);
    const layers = {};
    for (const name of ["ties", "flows", "seizures", "halos", "nodes", "labels"]) {
      layers[name] = s("g", {class: name}, svg);
    }
    const isRoute = (kind) => kind === "land" || kind === "sea" || kind === "air";
    const tieLines = {};
    m.ties.kind.forEach((kind, j) => {
      const [colour, width, dash] = TIE_STYLE[kind] || ["#888", 1, ""];
      const a = m.ties.source[j], b = m.ties.target[j];
      const line = s("line", {x1: n.x[a], y1: n.y[a], x2: n.x[b], y2: n.y[b], stroke: colour,
        "stroke-width": width, "stroke-dasharray": dash, "stroke-linecap": "round",
        "stroke-opacity": kind === "social" ? 0.5 : 0.8}, isRoute(kind) ? layers.flows : layers.ties);
      s("title", {}, line, `${kind}: ${n.id[a]} – ${n.id[b]}`);
      tieLines[m.ties.tie[j]] = {line, a, b, kind, width, dash};
    });
    const shapes = [], crosses = [], halos = [];
    for (let i = 0; i < count; i++) {
      const g = s("g", {transform: `translate(${n.x[i]},${n.y[i]})`}, layers.nodes);
      shapes.push(nodeShape(g, n.kind[i], n.detail[i]));
      s("title", {}, g, `${n.id[i]} (${n.kind[i]}${n.detail[i] ? ", " + n.detail[i] : ""})`);
      crosses.push(s("path", {d: "M-7,-7 L7,7 M-7,7 L7,-7", stroke: "#d62728", "stroke-width": 3,
        visibility: "hidden"}, g));
      halos.push(s("circle", {cx: n.x[i], cy: n.y[i], r: 15, fill: "none", "stroke-width": 3,
        visibility: "hidden"}, layers.halos));
      if (n.kind[i] === "place") {
        const right = n.x[i] > m.width - 160;  // near the right edge: the label to the left
        s("text", {x: n.x[i] + (right ? -8 : 8), y: n.y[i] - 8, class: "place-label",
          "text-anchor": right ? "end" : "start"}, layers.labels, n.id[i]);
      }
    }
    for (const o of m.offmap) {  // far-off places: an arrow at the edge pointing to them
      const len = Math.hypot(o.dx, o.dy) || 1, ux = o.dx / len, uy = o.dy / len;
      s("path", {d: `M${o.x - 40 * ux},${o.y - 40 * uy} L${o.x},${o.y}`, stroke: "#555",
        "stroke-width": 2}, layers.labels);
      s("path", {d: `M${o.x},${o.y} L${o.x - 12 * ux - 6 * uy},${o.y - 12 * uy + 6 * ux} ` +
        `L${o.x - 12 * ux + 6 * uy},${o.y - 12 * uy - 6 * ux} Z`, fill: "#555"}, layers.labels);
      s("text", {x: o.x - 46 * ux, y: o.y - 46 * uy + 14 * Math.sign(uy || 1),
        "text-anchor": ux > 0.3 ? "end" : ux < -0.3 ? "start" : "middle", class: "offmap"},
      layers.labels, `to ${o.id} (off the map)`);
    }

    // Flows: route width by the kilograms moved over the last RECENT_DAYS, scaled by the
    // largest amount any route moved in such a window. Per route: its rows' times and the
    // running total of kilograms, so a window's amount is a difference of two totals.
    const flows = run.flows;
    const flowOf = {};
    let flowMax = 0;
    if (flows) {
      flows.tie.forEach((tie, r) => {
        const f = flowOf[tie] = flowOf[tie] || {time: [], total: [0]};
        f.time.push(flows.time[r]);
        f.total.push(f.total[f.total.length - 1] + flows.kg[r]);
      });
      for (const f of Object.values(flowOf)) {
        f.time.forEach((t, i) => (flowMax = Math.max(flowMax, windowKg(f, t))));
      }
    }
    function windowKg(f, t) {  // kilograms in (t - RECENT_DAYS, t]
      return f.total[lastAtOrBefore(f.time, t) + 1] - f.total[lastAtOrBefore(f.time, t - RECENT_DAYS) + 1];
    }
    const flowOver = (tie, t) => (flowOf[tie] ? windowKg(flowOf[tie], t) : 0);

    // Seizures: a marker each, on its route's middle or at its place.
    const seizures = run.seizures;
    const seizureMarks = [];
    if (seizures) {
      const kgMax = seizures.kg.reduce((a, b) => Math.max(a, b), 1);
      seizures.time.forEach((time, k) => {
        let px, py;
        const tie = tieLines[seizures.tie[k]];
        if (seizures.tie[k] >= 0 && tie) {
          px = (n.x[tie.a] + n.x[tie.b]) / 2; py = (n.y[tie.a] + n.y[tie.b]) / 2;
        } else if (seizures.node[k] >= 0 && seizures.node[k] < count) {
          px = n.x[seizures.node[k]]; py = n.y[seizures.node[k]];
        } else return;
        const r = 4 + 10 * Math.sqrt(seizures.kg[k] / kgMax);
        const mark = s("circle", {cx: px, cy: py, r, fill: "#d62728", stroke: "#600",
          visibility: "hidden"}, layers.seizures);
        s("title", {}, mark, `day ${fmt(time)}: ${fmt(seizures.kg[k])} kg seized ` +
          `(${seizures.kind[k]}) by ${seizures.by[k]}`);
        seizureMarks.push({mark, time, kg: seizures.kg[k]});
      });
    }

    return {
      update(t) {
        const active = n.active.slice(), last = new Array(count).fill(-Infinity);
        const c = m.changes;
        for (let k = 0; k < c.time.length && c.time[k] <= t; k++) {
          active[c.node[k]] = c.active[k];
          last[c.node[k]] = c.time[k];
        }
        for (let i = 0; i < count; i++) {
          const on = active[i] === 1;
          shapes[i].setAttribute("opacity", on ? 1 : 0.3);
          crosses[i].setAttribute("visibility", on ? "hidden" : "visible");
          const recent = t - last[i] <= HALO_DAYS;
          halos[i].setAttribute("visibility", recent ? "visible" : "hidden");
          halos[i].setAttribute("stroke", on ? "#2ca02c" : "#d62728");
        }
        for (const [tie, l] of Object.entries(tieLines)) {
          const both = active[l.a] === 1 && active[l.b] === 1;
          let width = l.width, opacity = both ? 0.8 : 0.2;
          if (flows && isRoute(l.kind)) {
            const share = flowMax > 0 ? Math.sqrt(flowOver(Number(tie), t) / flowMax) : 0;
            width = 1.5 + 12 * share;
            opacity = 0.3 + 0.65 * share;
          }
          if (l.kind === "social") opacity *= 0.6;
          l.line.setAttribute("stroke-width", width);
          l.line.setAttribute("stroke-opacity", opacity);
          l.line.setAttribute("stroke-dasharray", both ? l.dash : "3 5");
        }
        let seized = 0, seizedKg = 0;
        for (const z of seizureMarks) {
          const shown = z.time <= t;
          z.mark.setAttribute("visibility", shown ? "visible" : "hidden");
          z.mark.setAttribute("fill-opacity", t - z.time <= RECENT_DAYS ? 0.85 : 0.15);
          z.mark.setAttribute("stroke-opacity", t - z.time <= RECENT_DAYS ? 1 : 0.2);
          if (shown) { seized++; seizedKg += z.kg; }
        }
        const tally = (kind) => {
          let on = 0, all = 0;
          for (let i = 0; i < count; i++) if (n.kind[i] === kind) { all++; on += active[i]; }
          return [on, all];
        };
        return {relays: tally("relay"), cells: tally("cell"), vessels: tally("vessel"),
          seized, seizedKg};
      },
    };
  }

  // --- a run ---------------------------------------------------------------------------------

  function RunView(root, run) {
    h("h1", {}, root, `${run.name}: run`);
    const meta = run.meta;
    h("div", {class: "meta"}, root,
      `scenario ${meta.scenario || "(in memory)"}, seed ${meta.seed}, replicate ${meta.replicate}` +
      `, ${fmt(run.duration)} days` + (meta.overrides ? `, overrides: ${meta.overrides.replace(/\n/g, "; ")}` : "") +
      ` · interdict ${meta.version} (${meta.commit})`);

    const controls = h("div", {class: "controls"}, root);
    const play = h("button", {type: "button", class: "play"}, controls, "▶ play");
    const sliderBox = h("div", {class: "slider-box"}, controls);
    const step = run.time.length > 1 ? run.time[1] - run.time[0] : 1;
    const slider = h("input", {type: "range", min: 0, max: run.duration, step, value: 0,
      class: "time-slider", "aria-label": "simulation day"}, sliderBox);
    const strip = s("svg", {viewBox: "0 0 1000 14", preserveAspectRatio: "none"}, sliderBox);
    const clock = h("span", {class: "clock"}, controls);
    run.interventions.forEach((iv) => {
      const px = 8 + 984 * iv.time / (run.duration || 1);  // the thumb's half-width at each end
      s("rect", {x: px - 2, y: 0, width: 4, height: 14, fill: "#d62728"}, strip);
    });

    const grid = h("div", {class: "run-grid"}, root);
    const left = h("div", {class: "panel map"}, grid);
    const right = h("div", {}, grid);
    const status = h("div", {class: "status"}, left);
    const map = run.map ? runMap(left, run) : null;
    const legend = h("div", {class: "legend"}, left);
    if (!map) {
      h("p", {class: "note"}, left, "This file holds no network (written before it was recorded).");
    } else {
      for (const [text, colour] of [["● place", "#666"], ["● cell", "#ff7f0e"],
        ["▲ relay", "#2ca02c"], ["◆ vessel (at its home port)", "#1f77b4"],
        ["✕ not operating", "#d62728"], ["◯ stopped or resumed in the last " + HALO_DAYS + " days", "#555"],
        ["— land route", "#888"], ["— sea route", "#1f77b4"], ["— radio link", "#2ca02c"],
        ["— social tie", "#ff7f0e"]]) {
        h("span", {style: `color:${colour}`}, legend, text);
      }
      h("div", {class: "note"}, left, (run.flows
        ? `Route width: kilograms moved over the last ${RECENT_DAYS} days. `
        : "Flows on routes: not in this file. ") + (run.seizures
        ? `Red discs: seizures (area by kilograms), bright for ${RECENT_DAYS} days.`
        : "Seizures by place: not in this file (older files lack /network/flows and /network/seizures).") +
        (run.map.social_left_off ? ` ${fmt(run.map.social_left_off)} social ties left off the map.` : ""));
    }

    // The series charts: two selectable series, cumulative ones optionally as daily rates.
    const chartPanel = h("div", {class: "panel chart"}, right);
    const chartControls = h("div", {class: "chart-controls"}, chartPanel);
    const names = Object.keys(run.series);
    const pickers = [];
    for (const [label, initial] of [["series", "delivered_kg"], ["and", "seized_kg"]]) {
      h("label", {}, chartControls, label);
      const select = h("select", {class: "series-select"}, chartControls);
      if (label === "and") h("option", {value: ""}, select, "(none)");
      for (const name of names) h("option", {value: name}, select, name);
      select.value = names.includes(initial) ? initial : (label === "and" ? "" : names[0] || "");
      pickers.push(select);
    }
    const rateLabel = h("label", {}, chartControls);
    const rate = h("input", {type: "checkbox"}, rateLabel);
    rate.checked = true;
    rateLabel.append(` cumulative series per day (${fmt(run.rate_window)}-day average)`);
    const charts = h("div", {}, chartPanel);
    const markers = [];  // one per firing time, labelled with the table's numbers
    run.interventions.forEach((iv, k) => {
      const same = markers.find((m) => m.time === iv.time);
      if (same) same.label += `,${k + 1}`; else markers.push({time: iv.time, label: String(k + 1)});
    });
    let chartList = [];
    function drawCharts() {
      charts.textContent = "";
      chartList = pickers.map((p) => p.value).filter((name) => name && run.series[name]).map((name, k) => {
        const sr = run.series[name];
        const daily = rate.checked && sr.cumulative;
        const values = daily ? perDay(sr.values, run.time, run.rate_window) : sr.values;
        const units = daily ? (sr.units && sr.units !== "1" ? sr.units + "/d" : "1/d") : sr.units;
        return timeChart(charts, {time: run.time, duration: run.duration, units, markers,
          title: daily ? `${name} per day` : name, zero: true, onClick: setTime,
          lines: [{values, colour: COLOURS[k === 0 ? 0 : 3], label: daily ? "per day" : "value"}]});
      });
      chartList.forEach((c) => c.setTime(state.t));
    }
    pickers.concat([rate]).forEach((p) => p.addEventListener("change", drawCharts));

    // The interventions that fired, highlighted while recent.
    const logPanel = h("div", {class: "panel"}, right);
    h("h2", {}, logPanel, `Interventions (${run.interventions.length})`);
    const rows = [];
    if (run.interventions.length) {
      const table = h("table", {class: "interventions"}, logPanel);
      const head = h("tr", {}, table);
      for (const c of ["#", "day", "intervention", "action", "targets"]) h("th", {}, head, c);
      run.interventions.forEach((iv, k) => {
        const tr = h("tr", {class: "clickable", title: "go to this day"}, table);
        h("td", {class: "num"}, tr, String(k + 1));
        h("td", {class: "num"}, tr, fmt(iv.time));
        h("td", {}, tr, iv.id);
        h("td", {}, tr, iv.action);
        const text = iv.targets || "";
        h("td", {class: "targets", title: text}, tr, text.length > 120 ? text.slice(0, 117) + "…" : text);
        tr.addEventListener("click", () => setTime(iv.time));
        rows.push(tr);
      });
    } else {
      h("p", {class: "note"}, logPanel, "None fired.");
    }

    const state = {t: 0, timer: null};
    function setTime(t) {
      state.t = Math.min(run.duration, Math.max(0, Number(t)));
      slider.value = state.t;
      draw();
    }
    function draw() {
      const t = state.t;
      clock.textContent = `day ${fmt(t)}`;
      chartList.forEach((c) => c.setTime(t));
      rows.forEach((tr, k) => {
        const when = run.interventions[k].time;
        tr.className = "clickable " + (when > t ? "future" : t - when <= RECENT_DAYS ? "firing" : "past");
      });
      const i = lastAtOrBefore(run.time, t);
      const value = (name) => (run.series[name] && i >= 0 ? run.series[name].values[i] : null);
      const parts = [`day ${fmt(t)}`];
      if (map) {
        const c = map.update(t);
        parts.push(`relays up ${c.relays[0]}/${c.relays[1]}`, `cells operating ${c.cells[0]}/${c.cells[1]}`,
          `vessels ${c.vessels[0]}/${c.vessels[1]}`);
        if (run.seizures) parts.push(`seizures so far ${c.seized} (${fmt(c.seizedKg)} kg)`);
      }
      if (value("delivered_kg") !== null) parts.push(`delivered ${fmt(value("delivered_kg"))} kg`);
      if (value("seized_kg") !== null) parts.push(`seized ${fmt(value("seized_kg"))} kg`);
      parts.push(`interventions fired ${run.interventions.filter((iv) => iv.time <= t).length}` +
        `/${run.interventions.length}`);
      status.textContent = parts.join(" · ");
    }
    slider.addEventListener("input", () => setTime(slider.value));
    function stop() {
      clearInterval(state.timer);
      state.timer = null;
      play.textContent = "▶ play";
    }
    play.addEventListener("click", () => {
      if (state.timer) { stop(); return; }
      if (state.t >= run.duration) setTime(0);
      const advance = Math.max(step, run.duration / (PLAY_SECONDS * 20));
      state.timer = setInterval(() => {
        setTime(state.t + advance);
        if (state.t >= run.duration) stop();
      }, 50);
      play.textContent = "❚❚ pause";
    });
    drawCharts();
    setTime(0);
    return {setTime, stop};
  }

  // --- a study -------------------------------------------------------------------------------

  function StudyView(root, study) {
    const colour = (v) => COLOURS[study.variants.indexOf(v) % COLOURS.length];
    const studyPart = h("div", {class: "study"}, root);
    const runPart = h("div", {class: "study-run", hidden: ""}, root);
    h("h1", {}, studyPart, `${study.name}: study`);
    if (study.meta.description) h("p", {class: "description"}, studyPart, study.meta.description);
    const okRuns = Object.values(study.counts).reduce((a, c) => a + c.ok, 0);
    const failed = Object.values(study.counts).reduce((a, c) => a + c.failed, 0);
    h("div", {class: "meta"}, studyPart,
      `${study.variants.length} variants, ${okRuns} runs` + (failed ? `, ${failed} failed` : "") +
      (study.meta.missing ? `, ${study.meta.missing} planned runs missing` : "") +
      (study.meta.parameters.length ? `; varied: ${study.meta.parameters.join(", ")}` : "") +
      `. Intervals: ${Math.round(study.confidence * 100)}% t intervals over replicates; ` +
      `differences paired with the ${study.baseline} run of the same replicate.` +
      ` interdict ${study.meta.version} (${study.meta.commit}).`);

    function openLink(parent, variant, text) {
      const entry = study.runs[variant];
      if (!entry || !entry.view) {
        const span = h("span", {title: entry ? entry.unavailable || "" : "no run"}, parent, text);
        return span;
      }
      const a = h("a", {class: "variant", href: `#run=${encodeURIComponent(variant)}`,
        "data-variant": variant, title: `open run ${entry.key} (replicate ${entry.replicate})`},
      parent, text);
      return a;
    }

    // The table: per variant and metric, the mean with its interval and the paired difference.
    const metrics = Object.keys(study.metrics);
    const tablePanel = h("div", {class: "panel"}, studyPart);
    const table = h("table", {class: "variants"}, tablePanel);
    const head = h("tr", {}, table);
    h("th", {}, head, "variant");
    h("th", {class: "num"}, head, "runs");
    for (const metric of metrics) {
      const u = study.metrics[metric].units;
      h("th", {class: "num"}, head, metric + (u && u !== "1" ? ` (${u})` : ""));
    }
    h("th", {}, head, "a run of it");
    for (const v of study.variants) {
      const tr = h("tr", {}, table);
      const name = h("td", {}, tr);
      h("span", {class: "swatch", style: `background:${colour(v)}`}, name);
      openLink(name, v, v);
      h("td", {class: "num"}, tr, String(study.counts[v] ? study.counts[v].ok : 0));
      for (const metric of metrics) {
        const r = study.metrics[metric].by_variant[v] || {};
        const td = h("td", {class: "num"}, tr);
        h("div", {}, td, fmt(r.mean));
        h("div", {class: "note"}, td, `(${interval(r.ci_low, r.ci_high)})`);
        if (r.diff_mean !== undefined && v !== study.baseline) {
          h("div", {class: "note", title: `paired difference to ${study.baseline}`}, td,
            `Δ ${signed(r.diff_mean)} (${interval(r.diff_ci_low, r.diff_ci_high)})`);
        }
      }
      const td = h("td", {}, tr);
      const entry = study.runs[v];
      if (entry && entry.view) {
        openLink(td, v, `replicate ${entry.replicate} ▸`);
        if (entry.problems && entry.problems.length) h("div", {class: "warn"}, td, "⚠ differs from the study's run");
      } else {
        h("span", {class: "note"}, td, entry ? "not available" : "–");
      }
    }
    const reasons = [...new Set(Object.values(study.runs).map((e) => e.unavailable).filter(Boolean))];
    for (const reason of reasons) h("p", {class: "note"}, tablePanel, `No run view: ${reason}.`);
    h("p", {class: "note"}, tablePanel, `Δ: paired difference to ${study.baseline} (mean and ` +
      `${Math.round(study.confidence * 100)}% interval). A variant's name opens one of its runs ` +
      "(its first successful replicate), run again for this page and checked against the study.");

    // The interval chart of one metric: means on the left, paired differences on the right.
    const chartsRow = h("div", {class: "run-grid"}, studyPart);
    const intervalPanel = h("div", {class: "panel chart"}, chartsRow);
    const ic = h("div", {class: "chart-controls"}, intervalPanel);
    h("label", {}, ic, "metric");
    const metricSelect = h("select", {class: "metric-select"}, ic);
    for (const metric of metrics) h("option", {value: metric}, metricSelect, metric);
    const intervalBox = h("div", {}, intervalPanel);
    function drawIntervals() {
      intervalBox.textContent = "";
      const metric = metricSelect.value, rowsOf = study.metrics[metric].by_variant;
      const variants = study.variants;
      const W = 640, rowH = 30, T = 36, B = 28, H = T + B + rowH * variants.length, label = 130;
      const svg = s("svg", {viewBox: `0 0 ${W} ${H}`}, intervalBox);
      const panels = [["mean", "ci_low", "ci_high", `${metric}: mean (95%)`]];
      if (variants.length > 1) {
        panels.push(["diff_mean", "diff_ci_low", "diff_ci_high", `difference to ${study.baseline}`]);
      }
      const pw = (W - label - 10) / panels.length;
      panels.forEach(([mid, lo, hi, title], p) => {
        const x0 = label + p * pw + 30, x1 = label + (p + 1) * pw - 30;
        let min = Infinity, max = -Infinity;
        for (const v of variants) {
          const r = rowsOf[v] || {};
          for (const key of [lo, hi, mid]) if (r[key] !== null && r[key] !== undefined) { min = Math.min(min, r[key]); max = Math.max(max, r[key]); }
        }
        if (p === 1 || min > 0) { min = Math.min(min, 0); max = Math.max(max, 0); }
        if (!Number.isFinite(min)) { min = 0; max = 1; }
        if (max === min) max = min + 1;
        const span = max - min; min -= 0.05 * span; max += 0.05 * span;
        const x = (v) => x0 + (x1 - x0) * (v - min) / (max - min);
        s("text", {x: x0, y: 14, "font-size": 13, "font-weight": 600}, svg, title);
        const axis = s("g", {class: "axis"}, svg);
        for (const v of niceTicks(min, max, 4)) {
          s("line", {x1: x(v), x2: x(v), y1: T - 6, y2: H - B, "stroke-dasharray": v === 0 ? "" : "2 3"}, axis);
          s("text", {x: x(v), y: H - 10, "text-anchor": "middle"}, axis, fmt(v));
        }
        variants.forEach((v, k) => {
          const r = rowsOf[v] || {}, cy = T + rowH * k + rowH / 2;
          if (p === 0) {
            const a = s("a", {href: study.runs[v] && study.runs[v].view ? `#run=${encodeURIComponent(v)}` : ""}, svg);
            s("text", {x: label - 6, y: cy + 4, "text-anchor": "end", "font-size": 12, fill: colour(v)}, a, v);
          }
          if (r[mid] === null || r[mid] === undefined) return;
          if (r[lo] !== null && r[hi] !== null) {
            s("line", {x1: x(r[lo]), x2: x(r[hi]), y1: cy, y2: cy, stroke: colour(v), "stroke-width": 3}, svg);
          }
          const dot = s("circle", {cx: x(r[mid]), cy, r: 5, fill: colour(v)}, svg);
          s("title", {}, dot, `${v}: ${fmt(r[mid])} (${interval(r[lo], r[hi])})`);
        });
      });
    }
    metricSelect.addEventListener("change", drawIntervals);

    // The time chart: each variant's mean (or paired difference) with its band.
    const seriesPanel = h("div", {class: "panel chart"}, chartsRow);
    const sc = h("div", {class: "chart-controls"}, seriesPanel);
    h("label", {}, sc, "series");
    const seriesSelect = h("select", {class: "study-series-select"}, sc);
    for (const [name, sr] of Object.entries(study.series)) {
      h("option", {value: name}, seriesSelect, sr.per_day ? `${name} per day` : name);
    }
    const modeSelect = h("select", {}, sc);
    h("option", {value: "mean"}, modeSelect, "mean over replicates (95% band)");
    if (study.variants.length > 1) h("option", {value: "difference"}, modeSelect, `paired difference to ${study.baseline}`);
    const seriesBox = h("div", {}, seriesPanel);
    const seriesLegend = h("div", {class: "legend"}, seriesPanel);
    for (const v of study.variants) {
      const span = h("span", {}, seriesLegend);
      h("span", {class: "swatch", style: `background:${colour(v)}`}, span);
      openLink(span, v, v);
    }
    function drawSeries() {
      seriesBox.textContent = "";
      const sr = study.series[seriesSelect.value];
      if (!sr) return;
      const bands = sr[modeSelect.value] || {};
      const lines = study.variants.filter((v) => bands[v]).map((v) => ({
        values: bands[v].mean, low: bands[v].ci_low, high: bands[v].ci_high, colour: colour(v)}));
      const title = (sr.per_day ? `${seriesSelect.value} per day (${fmt(study.rate_window)}-day average)` : seriesSelect.value) +
        (modeSelect.value === "difference" ? `, minus ${study.baseline}` : "");
      const chart = timeChart(seriesBox, {time: study.time, lines, title, units: sr.units, zero: true});
      chart.setTime(null);
    }
    seriesSelect.addEventListener("change", drawSeries);
    modeSelect.addEventListener("change", drawSeries);
    drawIntervals();
    drawSeries();

    // One click from a variant to its run: #run=VARIANT shows it (the back button returns).
    const views = new Map();  // a variant may be called anything, "__proto__" included
    function route() {
      const match = /^#run=(.+)$/.exec(location.hash);
      let variant = null;
      try {
        variant = match ? decodeURIComponent(match[1]) : null;
      } catch (e) {  // a hand-typed hash that is not UTF-8: the study
      }
      const entry = variant !== null && Object.prototype.hasOwnProperty.call(study.runs, variant)
        ? study.runs[variant] : null;
      for (const v of views.values()) if (v.view) v.view.stop();
      if (!entry || !entry.view) {
        runPart.hidden = true;
        studyPart.hidden = false;
        return;
      }
      studyPart.hidden = true;
      runPart.hidden = false;
      runPart.textContent = "";
      const back = h("div", {class: "back"}, runPart);
      const link = h("a", {href: "#", class: "variant back-link"}, back, `← ${study.name}: all variants`);
      link.addEventListener("click", (ev) => { ev.preventDefault(); history.pushState(null, "", location.pathname); route(); });
      h("div", {class: "meta"}, runPart, `Variant ${variant}: run ${entry.key}, replicate ${entry.replicate}` +
        (Object.keys(entry.parameters).length ? ", " + Object.entries(entry.parameters).map(([k, x]) => `${k} = ${x}`).join(", ") : "") +
        `, run again for this page; its summary ` + (entry.problems.length ? "DIFFERS from" : "equals") + " the study's row for it.");
      if (entry.problems.length) {
        h("div", {class: "warn"}, runPart, "This run is not the study's: run again, its summary differs " +
          "(another interdict version, or an edited scenario?): " + entry.problems.join("; "));
      }
      if (!views.has(variant)) views.set(variant, {box: h("div", {class: "run-view"}), view: null});
      const shown = views.get(variant);
      runPart.appendChild(shown.box);
      if (!shown.view) shown.view = RunView(shown.box, entry.view);
      window.scrollTo(0, 0);
    }
    window.addEventListener("hashchange", route);
    route();
  }

  const app = document.getElementById("app");
  app.textContent = "";
  if (DATA.kind === "run") RunView(app, DATA); else StudyView(app, DATA);
})();
