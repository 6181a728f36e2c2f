package io.vmworkers.it.perprocess;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.vmworkers.annotation.OnMaster;
import io.vmworkers.annotation.WorkerTask;

/**
 * Counts orders in the application's database: on the worker, and on the master.
 */
@WorkerTask
public class OrdersTask {

	private final DataSource dataSource;

	public OrdersTask(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** Runs on the worker, against the database the worker's JVM holds. */
	public int countOnWorker() throws SQLException {
		return count();
	}

	@OnMaster
	public void addOnMaster(int orders) throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			createTable(statement);
			for (int i = 0; i < orders; i++) {
				statement.execute("insert into orders values (" + i + ")");
			}
		}
	}

	@OnMaster
	public int countOnMaster() throws SQLException {
		return count();
	}

	private int count() throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			createTable(statement);
			try (ResultSet rows = statement.executeQuery("select count(*) from orders")) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

	private static void createTable(Statement statement) throws SQLException {
		statement.execute("create table if not exists orders (id int)");
	}

}
