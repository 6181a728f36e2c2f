package io.vmworkers.docs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md lists every property of the build's configuration metadata (which merges
 * additional-spring-configuration-metadata.json), its default and its description, between two
 * marker comments. The test renders that part from the metadata and fails when the file differs;
 * with {@code -Dvmworkers.docs.write=true} it rewrites the part instead, leaving the hand-written
 * text around it alone.
 */
class ConfigurationDocsTests {

	static final String BEGIN = "<!-- generated from the configuration metadata: do not edit by hand -->";

	static final String END = "<!-- end of generated part -->";

	static final String WRITE_PROPERTY = "vmworkers.docs.write";

	/** Relative to the module's directory, where Surefire runs the tests. */
	static final Path DOCS_FILE = Path.of("..", "docs", "configuration.md");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void configurationPageHoldsEveryPropertyOfTheMetadata() throws IOException {
		String table = render(readMetadata());
		if (Boolean.getBoolean(WRITE_PROPERTY)) {
			write(DOCS_FILE, table);
		}
		assertThat(DOCS_FILE).as("%s (run from the autoconfigure module)", DOCS_FILE).exists();
		String page = Files.readString(DOCS_FILE, StandardCharsets.UTF_8);
		assertThat(generatedPart(page))
			.as("the generated part of docs/configuration.md is stale or incomplete; rewrite it with: "
					+ "./mvnw -q -B -o -pl autoconfigure test -Dtest=ConfigurationDocsTests "
					+ "-Dsurefire.failIfNoSpecifiedTests=false -D%s=true", WRITE_PROPERTY)
			.isEqualTo(table);
	}

	@Test
	void metadataHoldsTheStartersProperties() throws IOException {
		List<String> names = new ArrayList<>();
		readMetadata().path("properties").values().forEach((property) -> names.add(property.path("name").asString()));
		assertThat(names).contains("vmworkers.channel.capacity", "vmworkers.restart.mode",
				"management.health.vmworkers.enabled");
	}

	@Test
	void tableIsSortedByNameWithDefaultsAndEscapedDescriptions() {
		JsonNode metadata = JSON.readTree("""
				{"properties": [
				  {"name": "b.list", "defaultValue": ["x", "y"], "description": "A list."},
				  {"name": "a.flag", "defaultValue": true, "description": "One | two,\\nthree."},
				  {"name": "c.none"}
				]}
				""");
		assertThat(render(metadata)).isEqualTo("""
				| property | default | description |
				| --- | --- | --- |
				| `a.flag` | `true` | One \\| two, three. |
				| `b.list` | `x`, `y` | A list. |
				| `c.none` |  |  |
				""");
	}

	@Test
	void rewritingKeepsTheHandWrittenText() {
		String page = "intro\n" + BEGIN + "\nold\n" + END + "\noutro\n";
		assertThat(replaceGeneratedPart(page, "new\n")).isEqualTo("intro\n" + BEGIN + "\nnew\n" + END + "\noutro\n");
	}

	/**
	 * The starter's own metadata: other jars on the test class path (Spring Boot's) have a file of
	 * the same name.
	 */
	private static JsonNode readMetadata() throws IOException {
		List<URL> resources = Collections.list(ConfigurationDocsTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"));
		for (URL resource : resources) {
			try (InputStream in = resource.openStream()) {
				JsonNode metadata = JSON.readTree(in);
				for (JsonNode group : metadata.path("groups").values()) {
					if ("vmworkers".equals(group.path("name").asString())) {
						return metadata;
					}
				}
			}
		}
		throw new AssertionError("no META-INF/spring-configuration-metadata.json with the group 'vmworkers' among "
				+ resources + "; compile the module first (./mvnw -q -B -o -pl autoconfigure compile)");
	}

	static String render(JsonNode metadata) {
		List<JsonNode> properties = new ArrayList<>(metadata.path("properties").values());
		properties.sort(Comparator.comparing((JsonNode property) -> property.path("name").asString()));
		StringBuilder table = new StringBuilder("| property | default | description |\n| --- | --- | --- |\n");
		for (JsonNode property : properties) {
			String description = property.path("description").asString("");
			if (property.has("deprecation")) {
				description = ("Deprecated. " + description).trim();
			}
			table.append("| `")
				.append(property.path("name").asString())
				.append("` | ")
				.append(defaultValue(property.path("defaultValue")))
				.append(" | ")
				.append(cell(description))
				.append(" |\n");
		}
		return table.toString();
	}

	private static String defaultValue(JsonNode value) {
		if (value.isMissingNode() || value.isNull()) {
			return "";
		}
		if (value.isArray()) {
			return value.values().stream().map(ConfigurationDocsTests::defaultValue).collect(Collectors.joining(", "));
		}
		return "`" + cell(value.asString()) + "`";
	}

	private static String cell(String text) {
		return text.replace("\r", "").replace("\n", " ").replace("|", "\\|").strip();
	}

	static String generatedPart(String page) {
		int begin = page.indexOf(BEGIN);
		int end = page.indexOf(END);
		assertThat(begin).as("docs/configuration.md has the line %s", BEGIN).isNotNegative();
		assertThat(end).as("docs/configuration.md has the line %s after the first marker", END).isGreaterThan(begin);
		return page.substring(begin + BEGIN.length(), end).strip() + "\n";
	}

	static String replaceGeneratedPart(String page, String table) {
		generatedPart(page);
		int begin = page.indexOf(BEGIN) + BEGIN.length();
		int end = page.indexOf(END);
		return page.substring(0, begin) + "\n" + table + page.substring(end);
	}

	private static void write(Path file, String table) throws IOException {
		String page = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8)
				: "# Configuration\n\n" + BEGIN + "\n" + END + "\n";
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, replaceGeneratedPart(page, table), StandardCharsets.UTF_8);
	}

}
