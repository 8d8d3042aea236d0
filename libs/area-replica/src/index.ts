export {
  AreaDirectory,
  type AreaReplicaOptions,
  areaReplicaProjection,
  type ReplicatedArea,
  type RunningAreaReplica,
  startAreaReplica,
} from "./area-replica.js";
