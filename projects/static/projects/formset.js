// "添加一行": a new row of a formset table, from its <template>, numbered after the rows there.
document.querySelectorAll("button.add-row").forEach(function (button) {
  "use strict";
  button.addEventListener("click", function () {
    var prefix = button.dataset.prefix;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var html = document.getElementById("empty-" + prefix).innerHTML.replace(/__prefix__/g, total.value);
    document.querySelector("table.formset[data-prefix='" + prefix + "'] tbody").insertAdjacentHTML("beforeend", html);
    total.value = parseInt(total.value, 10) + 1;
  });
});
