package io.vmworkers.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.vmworkers.channel.WorkerChannel;
import io.vmworkers.dispatch.VmDispatcher;
import io.vmworkers.dispatch.WorkerHandle;
import io.vmworkers.dispatch.WorkerState;
import io.vmworkers.dispatch.master.RemoteLaunch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker placed on Kubernetes, against fabric8's mock API server (CRUD mode) and a
 * {@link TestKubelet} that runs each pod as a local process: the pod's spec, calls and data over
 * TCP, a replacement pod for one whose process died, and nothing left once the master stops.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KubernetesPlacementIntegrationTests {

	private static final String NAMESPACE = "robots";

	static KubernetesClient client;

	private TestKubelet kubelet;

	private ConfigurableApplicationContext context;

	private String masterUid;

	@BeforeEach
	void start() {
		Pod master = this.client().pods()
			.inNamespace(NAMESPACE)
			.resource(new PodBuilder().withNewMetadata()
				.withName("master-0")
				.endMetadata()
				.withNewSpec()
				.withServiceAccountName("robot-master")
				.addNewContainer()
				.withName("app")
				.withImage("registry.example/robots:1.4")
				.withImagePullPolicy("IfNotPresent")
				.addNewEnv()
				.withName("ROBOT_SPEED")
				.withValue("3")
				.endEnv()
				.addNewEnvFrom()
				.withNewConfigMapRef()
				.withName("robot-config")
				.endConfigMapRef()
				.endEnvFrom()
				.endContainer()
				.endSpec()
				.build())
			.create();
		this.masterUid = master.getMetadata().getUid();
		this.kubelet = new TestKubelet(client, NAMESPACE);
		this.context = new SpringApplicationBuilder(PodApplication.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("kubernetesClient", client))
			.properties("spring.application.name=robots", "vmworkers.inherit-jvm-options=false",
					"vmworkers.jvm-options=-Xmx64m,-XX:TieredStopAtLevel=1,-XX:CICompilerCount=1",
					"vmworkers.heartbeat-timeout=10s", "vmworkers.workers.podTask.placement=kubernetes",
					"vmworkers.kubernetes.namespace=" + NAMESPACE, "vmworkers.kubernetes.master-pod=master-0",
					"vmworkers.kubernetes.master-host=master.robots.svc", "vmworkers.kubernetes.labels.team=motion",
					"vmworkers.kubernetes.pod.requests.cpu=250m", "vmworkers.kubernetes.pod.limits.memory=256Mi",
					"vmworkers.kubernetes.pod.node-selector.disktype=ssd",
					"vmworkers.kubernetes.pod.tolerations[0].key=dedicated",
					"vmworkers.kubernetes.pod.tolerations[0].operator=Equal",
					"vmworkers.kubernetes.pod.tolerations[0].value=robots",
					"vmworkers.kubernetes.pod.tolerations[0].effect=NoSchedule",
					"vmworkers.kubernetes.workers.podTask.limits.memory=300Mi")
			.run();
	}

	private KubernetesClient client() {
		return client;
	}

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		this.kubelet.close();
		client.pods().inNamespace(NAMESPACE).withName("master-0").delete();
		// Every worker process the pods ran has ended with them.
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
	}

	@Test
	void theWorkersPodIsOwnedByTheMastersPodNamedLabelledAndGivenItsSecretByReference() {
		Pod pod = workerPods().get(0);
		assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies((owner) -> {
			assertThat(owner.getKind()).isEqualTo("Pod");
			assertThat(owner.getName()).isEqualTo("master-0");
			assertThat(owner.getUid()).isEqualTo(this.masterUid);
		});
		assertThat(pod.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "robots")
			.containsEntry("app.kubernetes.io/component", "vmworkers-worker")
			.containsEntry("vmworkers.io/worker", "podTask")
			.containsEntry("vmworkers.io/master", "master-0")
			.containsEntry("team", "motion")
			.containsEntry("vmworkers.io/replica", "0")
			.containsKey("vmworkers.io/launch");
		assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
		assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("robot-master");
		assertThat(pod.getSpec().getNodeSelector()).containsEntry("disktype", "ssd");
		assertThat(pod.getSpec().getTolerations()).singleElement().satisfies((toleration) -> {
			assertThat(toleration.getKey()).isEqualTo("dedicated");
			assertThat(toleration.getEffect()).isEqualTo("NoSchedule");
		});
		Container container = pod.getSpec().getContainers().get(0);
		assertThat(container.getImage()).isEqualTo("registry.example/robots:1.4");
		assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
		assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("250m"));
		// The worker's own limit replaces the global one.
		assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("300Mi"));
		// The application's configuration, as the master's container has it.
		assertThat(variable(container, "ROBOT_SPEED").getValue()).isEqualTo("3");
		assertThat(container.getEnvFrom()).singleElement()
			.satisfies((source) -> assertThat(source.getConfigMapRef().getName()).isEqualTo("robot-config"));
		EnvVar secret = variable(container, RemoteLaunch.SECRET_VARIABLE);
		assertThat(secret.getValue()).isNull();
		String secretName = secret.getValueFrom().getSecretKeyRef().getName();
		assertThat(client.secrets().inNamespace(NAMESPACE).withName(secretName).get().getMetadata().getLabels())
			.containsEntry("vmworkers.io/worker", "podTask");
		assertThat(variable(container, RemoteLaunch.MASTER_ADDRESS_VARIABLE).getValue())
			.startsWith("master.robots.svc:");
		assertThat(String.join(" ", container.getCommand())).doesNotContain(
				client.secrets().inNamespace(NAMESPACE).withName(secretName).get().getData().get("token"));
	}

	@Test
	void callsAndDataReachTheWorkerInItsPodOverTcp() {
		PodTask task = this.context.getBean(PodTask.class);
		assertThat(task.inc(41)).isEqualTo(42);
		Pod pod = workerPods().get(0);
		assertThat(task.launch()).isEqualTo(pod.getMetadata().getLabels().get("vmworkers.io/launch"));
		WorkerHandle handle = this.context.getBean(VmDispatcher.class).worker("podTask");
		await().atMost(Duration.ofSeconds(10))
			.until(handle::location, (location) -> location.equals("pod " + pod.getMetadata().getName() + " on node "
					+ TestKubelet.NODE));
		assertThat(handle.pid()).isEqualTo(-1);
		// Its heartbeat, with its heap figures, comes over the connection.
		await().atMost(Duration.ofSeconds(10)).until(() -> handle.lastHeartbeat() != null);
		assertThat(handle.lastHeartbeat().heapMax()).isPositive();
		WorkerChannel channel = this.context.getBean(VmDispatcher.class).worker("podTask").channel();
		for (int i = 0; i < 50; i++) {
			channel.put("m" + i);
		}
		for (int i = 0; i < 50; i++) {
			assertThat((String) channel.next(Duration.ofSeconds(30))).isEqualTo("m" + i + "!");
		}
	}

	@Test
	void aPodWhoseProcessDiesIsReplacedByANewPod() {
		WorkerHandle handle = this.context.getBean(VmDispatcher.class).worker("podTask");
		String first = workerPods().get(0).getMetadata().getName();
		this.kubelet.process(first).destroyForcibly();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> handle.state() == WorkerState.READY && handle.startCount() == 2);
		assertThat(workerPods()).singleElement()
			.satisfies((pod) -> assertThat(pod.getMetadata().getName()).isNotEqualTo(first));
		assertThat(handle.lastExit().description()).contains("exit code 137").contains(first);
		assertThat(this.context.getBean(PodTask.class).inc(1)).isEqualTo(2);
	}

	@Test
	void theMastersCloseDeletesThePodsAndSecrets() {
		assertThat(workerPods()).hasSize(1);
		Process process = this.kubelet.process(workerPods().get(0).getMetadata().getName());
		this.context.close();
		this.context = null;
		assertThat(workerPods()).isEmpty();
		assertThat(client.secrets().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/component", "vmworkers-worker")
			.list()
			.getItems()).isEmpty();
		await().atMost(Duration.ofSeconds(20)).until(() -> !process.isAlive());
	}

	private static List<Pod> workerPods() {
		return client.pods()
			.inNamespace(NAMESPACE)
			.withLabel("app.kubernetes.io/component", "vmworkers-worker")
			.list()
			.getItems();
	}

	private static EnvVar variable(Container container, String name) {
		return container.getEnv().stream().filter((variable) -> name.equals(variable.getName())).findFirst().orElseThrow();
	}

}
