/* A task group's page of an action programme: filter its tasks by lead agency (and by group, where a page
   holds more than one). The page is complete without this script (every task is listed, with an index by
   lead agency); the script only adds selects built from the page itself. */
(function () {
  "use strict";
  var root = document.querySelector(".portal-programme");
  if (!root) return;
  var tasks = Array.prototype.slice.call(root.querySelectorAll(".portal-task"));
  var groups = Array.prototype.slice.call(root.querySelectorAll(".portal-group"));

  function select(label, options) {
    var wrapper = document.createElement("label");
    wrapper.textContent = label;
    var element = document.createElement("select");
    options.forEach(function (pair) {
      var option = document.createElement("option");
      option.value = pair[0];
      option.textContent = pair[1];
      element.appendChild(option);
    });
    wrapper.appendChild(element);
    return { wrapper: wrapper, element: element };
  }

  var all = root.getAttribute("data-label-all");
  var groupOptions = [["", all]].concat(groups.map(function (g) {
    return [g.getAttribute("data-group"), g.getAttribute("aria-label")];
  }));
  var agencyOptions = [["", all]].concat(
    Array.prototype.slice.call(root.querySelectorAll(".portal-programme__agencies li")).map(function (li) {
      return [li.getAttribute("data-agency"), li.querySelector("strong").textContent];
    })
  );
  var group = select(root.getAttribute("data-label-group"), groupOptions);
  var agency = select(root.getAttribute("data-label-agency"), agencyOptions);
  var output = document.createElement("output");
  output.setAttribute("aria-live", "polite");
  var form = document.createElement("form");
  form.className = "portal-filter";
  form.setAttribute("role", "search");
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  if (groups.length > 1) form.appendChild(group.wrapper);
  form.appendChild(agency.wrapper);
  form.appendChild(output);
  root.insertBefore(form, root.firstChild);

  function apply() {
    var g = group.element.value;
    var a = agency.element.value;
    var shown = 0;
    tasks.forEach(function (task) {
      var leads = (task.getAttribute("data-lead") || "").split(" ");
      var visible = (!g || task.getAttribute("data-group") === g) && (!a || leads.indexOf(a) >= 0);
      task.hidden = !visible;
      if (visible) shown += 1;
    });
    groups.forEach(function (section) {
      section.hidden = !section.querySelector(".portal-task:not([hidden])");
    });
    output.textContent = root.getAttribute("data-label-shown").replace("{count}", String(shown));
  }
  group.element.addEventListener("change", apply);
  agency.element.addEventListener("change", apply);
  apply();
})();
