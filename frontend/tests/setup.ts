// jsdom lacks scrolling; the router's scrollBehavior calls it after every navigation.
window.scrollTo = () => {}
