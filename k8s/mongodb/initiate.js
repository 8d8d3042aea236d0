// Initiates replica set rs0 with the members in MONGODB_HOSTS, once; waits for a primary.
const hosts = process.env.MONGODB_HOSTS.split(",");
try {
  rs.status();
  print("replica set already initiated");
} catch (error) {
  if (error.codeName !== "NotYetInitialized") throw error;
  rs.initiate({ _id: "rs0", members: hosts.map((host, index) => ({ _id: index, host })) });
  print(`replica set initiated with ${hosts.join(", ")}`);
}
for (let attempt = 0; !db.hello().primary; attempt++) {
  if (attempt === 120) throw new Error("no primary after 120 s");
  sleep(1000);
}
