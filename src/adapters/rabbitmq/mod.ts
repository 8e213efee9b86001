/**
 * RabbitMQ adapters: the offline queue.
 * @module
 */
export { RabbitOfflineQueue, type RabbitQueueOptions } from "./queue.ts";
