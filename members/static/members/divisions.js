// 省/市/县: after a province is chosen, its prefectures; after a prefecture, its counties. The lists are those
// the server offers (divisions.json); without this script the form's "更新市、县列表" button does the same.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.querySelector("form[data-divisions]");
  if (!form || !script) { return; }
  var field = function (name) { return form.querySelector('[data-division="' + name + '"]'); };
  if (!field("province") || field("province").tagName !== "SELECT") { return; }

  // The same element, as a list of options (empty while nothing is chosen above it) or, where the data has no
  // list for what was chosen, as free text.
  function replace(name, options, above) {
    var old = field(name);
    var asList = options.length > 0 || !above;
    var next = document.createElement(asList ? "select" : "input");
    ["id", "name", "aria-describedby", "aria-required", "data-division"].forEach(function (attr) {
      if (old.hasAttribute(attr)) { next.setAttribute(attr, old.getAttribute(attr)); }
    });
    if (asList) {
      next.appendChild(new Option("请选择", ""));
      options.forEach(function (option) { next.appendChild(new Option(option, option)); });
    } else {
      next.type = "text";
    }
    old.replaceWith(next);
    return next;
  }

  fetch(script.dataset.source).then(function (response) { return response.json(); }).then(function (data) {
    var lists = data.provinces;
    form.classList.add("js");
    function cityChanged() {
      var cities = lists[field("province").value] || {};
      replace("county", cities[field("city").value] || [], field("city").value);
    }
    function provinceChanged() {
      var province = field("province").value;
      replace("city", Object.keys(lists[province] || {}), province).addEventListener("change", cityChanged);
      replace("county", [], "");
    }
    field("province").addEventListener("change", provinceChanged);
    if (field("city").tagName === "SELECT") { field("city").addEventListener("change", cityChanged); }
  });
})();
