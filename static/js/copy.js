// "Copy" buttons: copy the text of the field they name, and say so.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var field = document.getElementById(button.dataset.copy);
    field.select();
    navigator.clipboard.writeText(field.value).then(function () {
      button.dataset.label = button.dataset.label || button.textContent;
      button.textContent = "✓ " + button.dataset.label;
    });
  });
});
