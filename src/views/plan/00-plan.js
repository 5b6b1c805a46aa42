// The recovery plan's scripts share nothing but the page: each file below is one enhancement,
// found by its data- attributes, and the plan works as ordinary forms without any of them.
document.documentElement.classList.add('app-plan-js');
