import { Client } from 'pg';

/** One SQL statement on the database at `url`, over a connection of its own: the rows it returns. */
export async function sqlRows(url: string, text: string, values: unknown[] = []) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}
