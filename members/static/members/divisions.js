// 省/市/县: after a province is chosen, its prefectures; after a prefecture, its counties. The lists are those
// the server offers (divisions.json); without this script the form's "更新市、县列表" button does the same.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.querySelector("form[data-divisions]");
  if (!form || !script) { return; }
  var field = function (name) { return form.querySelector('[data-division="' + name + '"]'); };
  if (!field("province") || field("province").tagName !== "SELECT") { return; }

  // The same element, as a list of options or, where no list is known, as free text.
  function replace(name, options) {
    var old = field(name);
    var next = document.createElement(options.length ? "select" : "input");
    ["id", "name", "aria-describedby", "aria-required", "data-division"].forEach(function (attr) {
      if (old.hasAttribute(attr)) { next.setAttribute(attr, old.getAttribute(attr)); }
    });
    if (options.length) {
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
      replace("county", cities[field("city").value] || []);
    }
    function provinceChanged() {
      replace("city", Object.keys(lists[field("province").value] || {})).addEventListener("change", cityChanged);
      replace("county", []);
    }
    field("province").addEventListener("change", provinceChanged);
    if (field("city").tagName === "SELECT") { field("city").addEventListener("change", cityChanged); }
  });
})();
