// The vmworkers dashboard: a card per worker, with a row per process of its pool, and live charts,
// refreshed every second from the actuator endpoint. Relative URLs, so that it also works under a
// context path.
(function () {
	'use strict';

	const ENDPOINT = 'actuator/vmworkers';
	const REFRESH_MILLIS = 1000;
	const HISTORY_MILLIS = 5 * 60 * 1000;
	const PALETTE = ['#1e88e5', '#43a047', '#e53935', '#8e24aa', '#fb8c00', '#00897b', '#6d4c41', '#3949ab'];

	const history = new Map(); // worker name -> { messages: [[time, value]], bytes: [[time, value]] }
	const cards = new Map(); // worker name -> card elements
	const pending = new Set(); // workers with a restart under way

	const messagesChart = echarts.init(document.getElementById('messages-chart'));
	const bytesChart = echarts.init(document.getElementById('bytes-chart'));
	messagesChart.setOption(chartOptions('messages/s', (value) => format(value, '')));
	bytesChart.setOption(chartOptions('bytes/s', (value) => format(value, 'B')));
	window.addEventListener('resize', () => {
		messagesChart.resize();
		bytesChart.resize();
	});

	function chartOptions(title, label) {
		return {
			animation: false,
			title: { text: title, left: 8, top: 4, textStyle: { fontSize: 13 } },
			legend: { top: 4, right: 8 },
			tooltip: { trigger: 'axis', valueFormatter: label },
			grid: { left: 64, right: 24, top: 40, bottom: 32 },
			xAxis: { type: 'time' },
			yAxis: { type: 'value', min: 0, axisLabel: { formatter: label } },
			series: []
		};
	}

	// Counts in powers of 1000 (k, M), bytes in powers of 1024 (KiB, MiB).
	function format(value, unit) {
		if (value === null || value === undefined) {
			return '–';
		}
		const bytes = unit === 'B';
		const base = bytes ? 1024 : 1000;
		const prefixes = bytes ? ['Ki', 'Mi', 'Gi'] : ['k', 'M', 'G'];
		for (let power = prefixes.length; power > 0; power--) {
			const size = Math.pow(base, power);
			if (Math.abs(value) >= size) {
				return (value / size).toFixed(1) + ' ' + prefixes[power - 1] + unit;
			}
		}
		return (Number.isInteger(value) ? value : value.toFixed(1)) + (unit ? ' ' + unit : '');
	}

	function millis(value) {
		return value === null || value === undefined ? '–' : value + ' ms';
	}

	function percent(value) {
		return value === null || value === undefined ? '–' : (value * 100).toFixed(1) + ' %';
	}

	function duration(millis) {
		if (millis === null || millis === undefined) {
			return '–';
		}
		const seconds = Math.floor(millis / 1000);
		const h = Math.floor(seconds / 3600);
		const m = Math.floor((seconds % 3600) / 60);
		const s = seconds % 60;
		return (h > 0 ? h + 'h ' : '') + (h > 0 || m > 0 ? m + 'm ' : '') + s + 's';
	}

	function colorOf(name) {
		return PALETTE[[...history.keys()].indexOf(name) % PALETTE.length];
	}

	function card(worker) {
		let parts = cards.get(worker.name);
		if (parts) {
			return parts;
		}
		const root = document.createElement('article');
		root.className = 'worker-card';
		root.dataset.worker = worker.name;
		const title = document.createElement('h2');
		const name = document.createElement('span');
		name.className = 'name';
		name.textContent = worker.name;
		const state = document.createElement('span');
		state.className = 'state';
		title.append(name, state);
		const list = document.createElement('dl');
		parts = { root, state };
		for (const [key, label] of [['pid', 'pid'], ['uptime', 'uptime'], ['restarts', 'restarts'],
			['heap', 'heap'], ['cpu', 'CPU'], ['rss', 'resident'], ['rate', 'messages/s'], ['bytes-rate', 'bytes/s'],
			['messages-total', 'messages'], ['latency', 'call p50 / p99']]) {
			const term = document.createElement('dt');
			term.textContent = label;
			const value = document.createElement('dd');
			value.className = key;
			list.append(term, value);
			parts[key] = value;
		}
		// The pool's processes: replicas, then spares; one row for a single-process worker.
		const table = document.createElement('table');
		table.className = 'replicas';
		const caption = document.createElement('caption');
		caption.className = 'pool';
		const head = document.createElement('tr');
		for (const [label, hint] of [['#', 'index in the pool'], ['role', ''], ['pid', ''], ['state', ''],
			['heartbeat', 'age of the last heartbeat'], ['calls', 'in flight / completed'], ['CPU', ''],
			['heap', 'in use']]) {
			const cell = document.createElement('th');
			cell.scope = 'col';
			cell.textContent = label;
			if (hint) {
				cell.title = hint;
			}
			head.append(cell);
		}
		const headings = document.createElement('thead');
		headings.append(head);
		const body = document.createElement('tbody');
		table.append(caption, headings, body);
		parts.caption = caption;
		parts.rows = body;
		const button = document.createElement('button');
		button.type = 'button';
		button.className = 'restart';
		button.textContent = 'Restart';
		button.addEventListener('click', () => restart(worker.name, button));
		parts.button = button;
		root.append(title, list, table, button);
		document.getElementById('workers').append(root);
		cards.set(worker.name, parts);
		return parts;
	}

	function render(worker) {
		const parts = card(worker);
		const toWorker = worker.channel.toWorker;
		const fromWorker = worker.channel.fromWorker;
		const state = pending.has(worker.name) ? 'restarting' : worker.state;
		parts.root.className = 'worker-card ' + worker.state;
		parts.state.textContent = state;
		parts.pid.textContent = worker.pid > 0 ? worker.pid : '–';
		parts.uptime.textContent = duration(worker.uptimeMillis);
		parts.restarts.textContent = worker.restarts;
		const process = worker.process;
		parts.heap.textContent = process.heapUsed === null ? '–'
			: format(process.heapUsed, 'B') + ' / ' + format(process.heapMax, 'B');
		parts.cpu.textContent = percent(process.cpuUsage);
		parts.rss.textContent = format(process.residentMemory, 'B');
		parts.rate.textContent = format(toWorker.messagesPerSecond + fromWorker.messagesPerSecond, '');
		parts['bytes-rate'].textContent = format(toWorker.bytesPerSecond + fromWorker.bytesPerSecond, 'B');
		parts['messages-total'].textContent = toWorker.messages + fromWorker.messages;
		parts.latency.textContent = worker.calls.p50Millis === null ? '–'
			: worker.calls.p50Millis.toFixed(3) + ' / ' + worker.calls.p99Millis.toFixed(3) + ' ms';
		renderReplicas(parts, worker.replicas || []);
		parts.button.disabled = pending.has(worker.name);
	}

	function renderReplicas(parts, replicas) {
		const replicaCount = replicas.filter((replica) => replica.role === 'replica').length;
		const spareCount = replicas.length - replicaCount;
		parts.caption.textContent = replicaCount + (replicaCount === 1 ? ' replica' : ' replicas')
			+ (spareCount > 0 ? ', ' + spareCount + (spareCount === 1 ? ' spare' : ' spares') : '');
		const rows = [...parts.rows.children];
		while (rows.length > replicas.length) {
			rows.pop().remove();
		}
		replicas.forEach((replica, position) => {
			let row = rows[position];
			if (!row) {
				row = document.createElement('tr');
				for (const key of ['index', 'role', 'pid', 'state', 'heartbeat', 'calls', 'cpu', 'heap']) {
					const cell = document.createElement('td');
					cell.className = 'replica-' + key;
					row.append(cell);
				}
				parts.rows.append(row);
			}
			row.className = 'replica role-' + replica.role + ' ' + replica.state;
			row.dataset.replica = replica.index;
			const cells = row.children;
			cells[0].textContent = replica.index;
			cells[1].textContent = replica.role;
			cells[2].textContent = replica.pid > 0 ? replica.pid : '–';
			cells[3].textContent = replica.state;
			cells[4].textContent = millis(replica.heartbeatAgeMillis);
			cells[5].textContent = replica.calls.inFlight + ' / ' + replica.calls.completed;
			cells[6].textContent = percent(replica.process.cpuUsage);
			cells[7].textContent = format(replica.process.heapUsed, 'B');
			row.title = replica.lastRecycle ? 'recycled pid ' + replica.lastRecycle.pid + ': ' + replica.lastRecycle.reason
				: (replica.lastExit && !replica.lastExit.expected ? 'last exit: ' + replica.lastExit.description : '');
		});
	}

	function record(worker, now) {
		let points = history.get(worker.name);
		if (!points) {
			points = { messages: [], bytes: [] };
			history.set(worker.name, points);
		}
		const channel = worker.channel;
		points.messages.push([now, channel.toWorker.messagesPerSecond + channel.fromWorker.messagesPerSecond]);
		points.bytes.push([now, channel.toWorker.bytesPerSecond + channel.fromWorker.bytesPerSecond]);
		while (points.messages.length && points.messages[0][0] < now - HISTORY_MILLIS) {
			points.messages.shift();
			points.bytes.shift();
		}
	}

	function series(kind) {
		return [...history.entries()].map(([name, points]) => ({
			name,
			type: 'line',
			showSymbol: false,
			color: colorOf(name),
			data: points[kind]
		}));
	}

	async function refresh() {
		const status = document.getElementById('status');
		try {
			const response = await fetch(ENDPOINT, { headers: { Accept: 'application/json' } });
			if (!response.ok) {
				throw new Error('HTTP ' + response.status);
			}
			const body = await response.json();
			const now = Date.now();
			for (const worker of body.workers) {
				record(worker, now);
				render(worker);
			}
			messagesChart.setOption({ series: series('messages') });
			bytesChart.setOption({ series: series('bytes') });
			status.textContent = 'updated ' + new Date(now).toLocaleTimeString();
			status.className = 'status';
		}
		catch (error) {
			status.textContent = 'cannot reach ' + ENDPOINT + ': ' + error.message;
			status.className = 'status error';
		}
	}

	async function restart(name, button) {
		pending.add(name);
		button.disabled = true;
		try {
			// A write operation of the endpoint: JSON in, the worker afterwards out.
			const response = await fetch(ENDPOINT + '/' + encodeURIComponent(name), {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
				body: JSON.stringify({ action: 'restart' })
			});
			if (!response.ok) {
				throw new Error('HTTP ' + response.status);
			}
		}
		catch (error) {
			window.alert('Restart of ' + name + ' failed: ' + error.message);
		}
		finally {
			pending.delete(name);
			button.disabled = false;
			refresh();
		}
	}

	refresh();
	setInterval(refresh, REFRESH_MILLIS);
}());
