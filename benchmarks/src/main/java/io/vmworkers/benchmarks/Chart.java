package io.vmworkers.benchmarks;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws the results' charts side by side in one PNG, with JFreeChart, headless.
 */
final class Chart {

	private static final int PANEL_WIDTH = 700;

	private static final int PANEL_HEIGHT = 480;

	private static final int COLUMNS = 2;

	/** Bottom of a logarithmic axis, in the chart's unit. */
	private static final double LOG_FLOOR = 0.1;

	private Chart() {
	}

	/**
	 * Writes the PNG.
	 * @param file where
	 * @param charts the datasets by title; a title ending in "(log)" gets a logarithmic axis
	 * @throws IOException when the file cannot be written
	 */
	static void write(Path file, Map<String, DefaultCategoryDataset> charts) throws IOException {
		List<JFreeChart> panels = new ArrayList<>();
		charts.forEach((title, data) -> panels.add(panel(title, data)));
		int rows = Math.max(1, (panels.size() + COLUMNS - 1) / COLUMNS);
		BufferedImage image = new BufferedImage(COLUMNS * PANEL_WIDTH, rows * PANEL_HEIGHT,
				BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		graphics.setColor(Color.WHITE);
		graphics.fillRect(0, 0, image.getWidth(), image.getHeight());
		for (int i = 0; i < panels.size(); i++) {
			panels.get(i)
				.draw(graphics, new Rectangle2D.Double((i % COLUMNS) * PANEL_WIDTH, (i / COLUMNS) * PANEL_HEIGHT,
						PANEL_WIDTH, PANEL_HEIGHT));
		}
		graphics.dispose();
		ImageIO.write(image, "png", file.toFile());
	}

	private static JFreeChart panel(String title, DefaultCategoryDataset data) {
		JFreeChart chart = ChartFactory.createBarChart(title, null, null, data, PlotOrientation.VERTICAL, true, false,
				false);
		CategoryPlot plot = chart.getCategoryPlot();
		plot.setBackgroundPaint(Color.WHITE);
		plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
		plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
		BarRenderer renderer = (BarRenderer) plot.getRenderer();
		renderer.setBarPainter(new StandardBarPainter());
		renderer.setShadowVisible(false);
		if (title.endsWith("(log)")) {
			LogAxis axis = new LogAxis(plot.getRangeAxis().getLabel());
			axis.setSmallestValue(LOG_FLOOR);
			// One tick per decade, written as plain numbers rather than powers of ten.
			axis.setTickUnit(new NumberTickUnit(1));
			axis.setNumberFormatOverride(new DecimalFormat("#,##0.#"));
			plot.setRangeAxis(axis);
			// Bars grow from the axis' floor instead of from 0, which a log axis cannot show.
			renderer.setBase(LOG_FLOOR);
		}
		return chart;
	}

}
