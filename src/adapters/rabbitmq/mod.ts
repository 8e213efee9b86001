/**
 * RabbitMQ adapters: the offline queue.
 * @module
 */
export { RabbitOfflineQueue, type RabbitQueueOptions } from "./queue.ts";
export { RabbitPushQueue, type RabbitPushQueueOptions } from "./push_queue.ts";
