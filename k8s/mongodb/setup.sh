#!/bin/sh
# Run by the mongodb-setup Job; exits non-zero (and the Job retries) until MongoDB answers.
set -eu
hosts=""
member=0
while [ "$member" -lt "$MONGODB_MEMBERS" ]; do
  hosts="${hosts:+$hosts,}mongodb-$member.mongodb:27017"
  member=$((member + 1))
done
export MONGODB_HOSTS="$hosts"
auth="--username $MONGODB_ROOT_USERNAME --password $MONGODB_ROOT_PASSWORD --authenticationDatabase admin"
# shellcheck disable=SC2086
mongosh --quiet --norc $auth "mongodb://mongodb-0.mongodb:27017/admin?directConnection=true" /setup/initiate.js
# shellcheck disable=SC2086
mongosh --quiet --norc $auth "mongodb://$hosts/admin?replicaSet=rs0" /setup/users.js
