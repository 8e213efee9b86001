/**
 * RabbitMQ adapters: the offline queue.
 * @module
 */
export { RabbitOfflineQueue, type RabbitQueueOptions } from "./queue.ts";
export { RabbitJobQueue, type RabbitJobQueueOptions } from "./job_queue.ts";
