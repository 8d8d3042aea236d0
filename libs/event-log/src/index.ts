export type { AggregateDescriptor, SnapshotIndex } from "./aggregate-descriptor.js";
export {
  AggregateRepository,
  type AggregateRepositoryOptions,
  type Committed,
  type EventPublisher,
  type Evolver,
  type Executed,
  type Loaded,
} from "./aggregate-repository.js";
export { type CloudEvent, MalformedEventError, parseCloudEvent } from "./cloud-event.js";
export {
  type DomainFollowerOptions,
  followDomainEvent,
  followerDurable,
  idFromOrigin,
  optionalText,
  requiredText,
} from "./domain-follower.js";
export { isDuplicateKeyError } from "./duplicate-key.js";
export {
  type DeadLetter,
  type DeliveredEvent,
  type EventConsumerOptions,
  PoisonEventError,
  type RunningConsumer,
  startEventConsumer,
} from "./event-consumer.js";
export { EventLog, type EventLogOptions } from "./event-log.js";
export { EventRelay, type EventRelayOptions } from "./event-relay.js";
export {
  EventIdTakenError,
  EventStore,
  type EventStoreOptions,
  type NewEvent,
  StreamVersionTakenError,
} from "./event-store.js";
export { HotAggregates } from "./hot-aggregates.js";
export {
  applyStreamLimits,
  type ConsumerSetup,
  domainStream,
  ensureConsumer,
  ensureDomainStream,
  ensureStream,
  type StreamLimits,
  type StreamLimitsConfig,
  type StreamSetup,
  streamLimitsOf,
} from "./jetstream-setup.js";
export { KeyedLock } from "./keyed-lock.js";
export {
  ensureProjectionIndexes,
  type ProjectedState,
  type Projection,
  type ProjectionReader,
  type ProjectionStep,
  type ProjectorOptions,
  projectionReader,
  projectionSteps,
  readProjection,
  startProjector,
  wholeProjection,
} from "./projector.js";
export { RelayBook, type RelayCheckpoint, type RelayMark } from "./relay-marks.js";
export {
  RelaySweeper,
  type RelaySweeperOptions,
  type SnapshotRepairer,
  type SweepReport,
} from "./relay-sweeper.js";
export { retryOnConflict } from "./retry-on-conflict.js";
export {
  openServiceStorage,
  type ServiceConsumerOptions,
  type ServiceStorage,
  type ServiceStorageConfig,
} from "./service-storage.js";
export { type Page, type PageRequest, pageOfSnapshots, type SnapshotFilter } from "./snapshot-pages.js";
export { type Snapshot, SnapshotStore } from "./snapshot-store.js";
export { type StoredEvent, toCloudEvent } from "./stored-event.js";
export { aggregateIdOf, streamId, streamKind } from "./stream-id.js";
