// "Print this page" on the print view: printing needs JavaScript, so the button stays hidden
// (and the words about the browser's own Print option show) until this runs.
const printButton = document.querySelector('[data-print-button]');
if (printButton && typeof window.print === 'function') {
  printButton.hidden = false;
  const hint = document.querySelector('[data-print-hint]');
  if (hint) hint.hidden = true;
  printButton.addEventListener('click', () => {
    window.print();
  });
}
