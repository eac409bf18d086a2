// Tries to reach the network: the jail has none.
const net = require("net");
const s = net.connect(80, "127.0.0.1", () => console.log("connected?!"));
s.on("error", (e) => { console.error("no network:", e.code); process.exit(1); });
