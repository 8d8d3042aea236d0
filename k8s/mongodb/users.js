// One user per service, with readWrite on that service's database only. Each file in
// /etc/civic/service-uris is a service's MONGODB_URI:
//   mongodb://<user>:<password>@<hosts>/<database>?replicaSet=rs0&authSource=<database>
const fs = require("node:fs");
const directory = "/etc/civic/service-uris";
const pattern = /^mongodb:\/\/([^:@/]+):([^@/]+)@[^/]+\/([a-z][a-z0-9_]*)(\?|$)/;
for (const service of fs.readdirSync(directory).filter((name) => !name.startsWith("."))) {
  const uri = fs.readFileSync(`${directory}/${service}`, "utf8").trim();
  const match = pattern.exec(uri);
  if (!match) throw new Error(`${service}: MONGODB_URI is not mongodb://user:password@hosts/database?...`);
  const [, user, password, database] = match;
  const target = db.getSiblingDB(database);
  const roles = [{ role: "readWrite", db: database }];
  const credentials = { pwd: decodeURIComponent(password), roles };
  if (target.getUser(decodeURIComponent(user))) target.updateUser(decodeURIComponent(user), credentials);
  else target.createUser({ user: decodeURIComponent(user), ...credentials });
  print(`${service}: user ${decodeURIComponent(user)} with readWrite on ${database}`);
}
