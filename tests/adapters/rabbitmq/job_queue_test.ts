/**
 * The RabbitMQ job queue runs the job queue contract, on a queue of its own.
 */
import amqp from "amqplib";
import { RabbitJobQueue } from "../../../src/adapters/rabbitmq/job_queue.ts";
import { jobQueueContract, type TestJob } from "../../contract/job_queue.ts";
import { AMQP_URL, serviceUp, uniquePrefix } from "../../_helpers/services.ts";

const up = await serviceUp("RabbitMQ", AMQP_URL);

jobQueueContract("rabbitmq", () => {
  const queuePrefix = uniquePrefix();
  return Promise.resolve({
    open: async () => {
      const queue = new RabbitJobQueue<TestJob>({
        url: AMQP_URL,
        queuePrefix,
        name: "test",
        prefetch: 8,
      });
      await queue.open();
      return queue;
    },
    cleanup: async () => {
      const connection = await amqp.connect(AMQP_URL);
      const channel = await connection.createChannel();
      await channel.deleteQueue(`${queuePrefix}test`);
      await connection.close();
    },
  });
}, { durable: true, ignore: !up });
