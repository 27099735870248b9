import { sleep } from '../../scripts/n8n-client.cjs';
import { e2eInstance, n8n } from '../support/e2e/n8n';

// The tools later e2e tests rely on (production webhooks, executions, static data read from n8n's database),
// checked with n8n's own nodes only.
describe('the e2e instance', () => {
	test('a production webhook runs the workflow, and its static data is read back from the database', async () => {
		const path = `e2e-counter-${Date.now()}`;
		const workflow = await n8n().createWorkflow({
			name: 'e2e: static data counter',
			nodes: [
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: [0, 0],
					webhookId: path,
					parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
				},
				{
					name: 'Count',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [220, 0],
					parameters: {
						jsCode:
							"const data = $getWorkflowStaticData('global');\n" +
							'data.count = (data.count ?? 0) + 1;\n' +
							'return [{ json: { count: data.count } }];',
					},
				},
			],
			connections: { Webhook: { main: [[{ node: 'Count', type: 'main', index: 0 }]] } },
		});
		await n8n().activateWorkflow(workflow.id);
		try {
			const url = `${e2eInstance().n8nUrl}/webhook/${path}`;
			// A just-activated webhook can answer 404 for a moment.
			let answer: Response | undefined;
			for (let attempt = 0; attempt < 50; attempt++) {
				answer = await fetch(url, {
					method: 'POST',
					body: '{}',
					headers: { 'Content-Type': 'application/json' },
				});
				if (answer.status !== 404) break;
				await sleep(100);
			}
			expect(answer?.status).toBe(200);
			expect(await answer!.json()).toEqual({ count: 1 });
			const second = await fetch(url, {
				method: 'POST',
				body: '{}',
				headers: { 'Content-Type': 'application/json' },
			});
			expect(await second.json()).toEqual({ count: 2 });

			const executions = await n8n().waitForExecutions(workflow.id, { count: 2 });
			expect(executions.map((execution) => [execution.mode, execution.status])).toEqual([
				['webhook', 'success'],
				['webhook', 'success'],
			]);
			expect(await n8n().readStaticData(workflow.id)).toEqual({ global: { count: 2 } });
			const webhooks = await n8n().registeredWebhooks();
			expect(webhooks).toContainEqual(
				expect.objectContaining({ workflowId: workflow.id, webhookPath: path, method: 'POST' }),
			);
		} finally {
			await n8n().deactivateWorkflow(workflow.id);
		}
	});
});
